//! The README and the guides in `docs/` against the repository.
//!
//! - **Counts**: the kit's counts are written as a number in digits followed by the word, such
//!   as `8 notebooks` or `26 exercises` (code blocks included: a recorded progress bar says
//!   `1 of 26 exercises done`). Every such phrase must agree with `lecture/`: the number of
//!   `lecture/*.ipynb` files, and the number of code cells whose source starts with
//!   `// Exercise `. A count of something else is written another way (`exercises 0.1 to 0.4`,
//!   `22 of them`, `two notebooks open at once`). The README must state both counts.
//! - **Links**: every relative link in them points at a file that exists, and a `#heading` in
//!   it at a heading of that file; the README links every guide in `docs/`.
//!
//! `CHANGELOG.md` is history, and is not checked.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository root")
}

/// README.md and every docs/*.md, in a stable order.
fn documents(root: &Path) -> Vec<PathBuf> {
    let mut docs = vec![root.join("README.md")];
    docs.extend(markdown_files(&root.join("docs")));
    docs
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

// ---- What lecture/ holds ----

struct LectureCounts {
    notebooks: usize,
    exercises: usize,
}

fn lecture_counts(root: &Path) -> LectureCounts {
    let notebooks: Vec<PathBuf> = fs::read_dir(root.join("lecture"))
        .expect("lecture/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ipynb"))
        .collect();
    let exercises = notebooks
        .iter()
        .map(|path| exercise_cells(&read(path), path))
        .sum();
    LectureCounts {
        notebooks: notebooks.len(),
        exercises,
    }
}

/// The code cells of a notebook whose source starts with `// Exercise `.
fn exercise_cells(text: &str, path: &Path) -> usize {
    let notebook: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let cells = notebook["cells"]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no cells", path.display()));
    cells
        .iter()
        .filter(|cell| cell["cell_type"] == "code")
        .filter(|cell| course::source_text_of(&cell["source"]).starts_with("// Exercise "))
        .count()
}

struct Count {
    line: usize,
    number: usize,
    noun: &'static str,
}

/// Every "<digits> notebooks" and "<digits> exercises" in `text`, also across a line break.
fn counts(text: &str) -> Vec<Count> {
    let words: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .flat_map(|(i, line)| line.split_whitespace().map(move |word| (i + 1, word)))
        .collect();
    let mut found = Vec::new();
    for pair in words.windows(2) {
        let (line, number) = pair[0];
        let number = number.trim_start_matches(|c: char| !c.is_ascii_digit());
        let noun = pair[1]
            .1
            .trim_end_matches(|c: char| !c.is_alphabetic())
            .to_lowercase();
        let noun = match noun.as_str() {
            "notebooks" => "notebooks",
            "exercises" => "exercises",
            _ => continue,
        };
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        found.push(Count {
            line,
            number: number.parse().expect("digits"),
            noun,
        });
    }
    found
}

#[test]
fn the_docs_state_the_counts_that_lecture_has() {
    let root = repository();
    let lecture = lecture_counts(&root);
    assert!(
        lecture.notebooks > 0 && lecture.exercises > 0,
        "lecture/ holds {} notebooks and {} exercise cells: the count itself is broken",
        lecture.notebooks,
        lecture.exercises
    );
    let mut wrong = Vec::new();
    let mut stated = BTreeSet::new();
    for path in documents(&root) {
        let file = shown(&root, &path);
        for count in counts(&read(&path)) {
            let truth = match count.noun {
                "notebooks" => lecture.notebooks,
                _ => lecture.exercises,
            };
            stated.insert((file.clone(), count.noun));
            if count.number != truth {
                wrong.push(format!(
                    "{file}, line {}: says {} {}, but lecture/ has {truth}",
                    count.line, count.number, count.noun
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "counts that disagree with lecture/ ({} notebooks, {} exercises):\n  {}",
        lecture.notebooks,
        lecture.exercises,
        wrong.join("\n  ")
    );
    for noun in ["notebooks", "exercises"] {
        assert!(
            stated.contains(&("README.md".to_string(), noun)),
            "README.md states no count of {noun} (written as `{} {noun}`): this test found \
             nothing to check there; state the kit's count once, in digits",
            match noun {
                "notebooks" => lecture.notebooks,
                _ => lecture.exercises,
            }
        );
    }
}

// ---- Links ----

/// The lines of a Markdown text outside fenced code blocks, with their line numbers.
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        match (fence, marker) {
            (None, Some(m)) if run >= 3 => fence = Some((m, run)),
            (Some((m, n)), Some(c)) if c == m && run >= n && trimmed[run..].trim().is_empty() => {
                fence = None
            }
            (None, _) => out.push((i + 1, line)),
            _ => {}
        }
    }
    out
}

/// The anchors GitHub gives a file's headings: lower case, spaces as `-`, other punctuation
/// dropped, a repeated heading numbered `-1`, `-2`, ….
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for (_, line) in prose_lines(text) {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let slug: String = heading
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let mut anchor = slug.clone();
        let mut n = 0;
        while seen.contains(&anchor) {
            n += 1;
            anchor = format!("{slug}-{n}");
        }
        seen.insert(anchor);
    }
    seen
}

/// Every `](target)` outside code, with its line.
fn links(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (line_number, line) in prose_lines(text) {
        // Inline code spans are not links.
        let prose: String = line
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, part)| part)
            .collect::<Vec<_>>()
            .join(" ");
        let mut rest = prose.as_str();
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            out.push((line_number, after[..end].trim().to_string()));
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn links_in_the_readme_and_the_guides_point_at_what_exists() {
    let root = repository();
    let mut broken = Vec::new();
    let mut readme_links = BTreeSet::new();
    for path in documents(&root) {
        let file = shown(&root, &path);
        let text = read(&path);
        let dir = path.parent().expect("a folder");
        for (line, target) in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file_part, anchor) = match target.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (target.as_str(), None),
            };
            let linked = if file_part.is_empty() {
                path.clone()
            } else {
                dir.join(file_part)
            };
            let Ok(linked) = linked.canonicalize() else {
                broken.push(format!("{file}, line {line}: {target}: no such file"));
                continue;
            };
            if file == "README.md" {
                readme_links.insert(linked.clone());
            }
            if let Some(anchor) = anchor {
                let is_markdown = linked.extension().is_some_and(|ext| ext == "md");
                if is_markdown && !anchors(&read(&linked)).contains(anchor) {
                    broken.push(format!(
                        "{file}, line {line}: {target}: {} has no heading with the anchor #{anchor}",
                        shown(&root, &linked)
                    ));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "broken links:\n  {}",
        broken.join("\n  ")
    );
    let guides = markdown_files(&root.join("docs"));
    assert!(
        !guides.is_empty(),
        "docs/ holds no guide: this test found nothing to check"
    );
    let unlinked: Vec<String> = guides
        .iter()
        .map(|guide| guide.canonicalize().expect("a guide"))
        .filter(|guide| !readme_links.contains(guide))
        .map(|guide| shown(&root, &guide))
        .collect();
    assert!(
        unlinked.is_empty(),
        "README.md does not link these guides: {}",
        unlinked.join(", ")
    );
}

#[test]
fn the_count_finder_reads_phrases_across_lines_and_ignores_other_counts() {
    let text = "The kit has 8\nnotebooks with 26 exercises. (1 of 26 exercises done)\n\
                Exercises 0.1 to 0.4; 22 of them; two notebooks; 780 exercise cells.";
    let found: Vec<(usize, usize, &str)> = counts(text)
        .iter()
        .map(|c| (c.line, c.number, c.noun))
        .collect();
    assert_eq!(
        found,
        vec![
            (1, 8, "notebooks"),
            (2, 26, "exercises"),
            (2, 26, "exercises")
        ]
    );
}

#[test]
fn anchors_follow_github_and_skip_code_blocks() {
    let text = "# The sandbox: what a submission's code can and cannot do\n\
                ## `cargo test` checks\n## Set-up\n## Set-up\n\
                ````text\n# Not a heading\n```\n# Still code\n```\n````\n#no heading";
    let found: Vec<String> = anchors(text).into_iter().collect();
    assert_eq!(
        found,
        vec![
            "cargo-test-checks",
            "set-up",
            "set-up-1",
            "the-sandbox-what-a-submissions-code-can-and-cannot-do"
        ]
    );
}
