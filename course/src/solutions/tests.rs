use super::*;
use crate::syntax::find_blanks;

#[test]
fn solutions_give_template_and_solved_cell() {
    let scratch = tempfile::tempdir().unwrap();
    let path = scratch.path().join("s.rs");
    std::fs::write(&path, "// header comment\n// time limit 2.2: 90 s\n// points 2.2: 3\n// memory limit 2.1: 5 GiB\n\n// Exercise 2.1: fill\nlet n = ⟦2⟧;\nlet y = x.matmul(&⟦w⟧)?;\n\n// Hint 2.1\n// Two inputs,\n// one weight each.\n//\n// Then multiply.\n\n// Hidden check 2.1\ncheck(\"Exercise 2.1\", n == 2, \"n\")?;\n\n// Exercise 2.2: more\nlet m = ⟦n + 1⟧;\n").unwrap();
    let (sols, limits) = load_solutions(&path).unwrap();
    assert_eq!(limits["2.2"], 90);
    assert_eq!(sols["2.1"].memory_limit, Some(5 << 30));
    assert_eq!(sols["2.2"].memory_limit, None);
    assert_eq!((sols["2.1"].points, sols["2.2"].points), (1, 3));
    assert_eq!(
        sols["2.1"].hidden_check.as_deref(),
        Some("check(\"Exercise 2.1\", n == 2, \"n\")?;")
    );
    assert_eq!(sols["2.2"].hidden_check, None);
    assert_eq!(
        sols["2.1"].hint.as_deref(),
        Some("Two inputs, one weight each.\n\nThen multiply.")
    );
    assert_eq!(sols["2.2"].hint, None);
    let s = &sols["2.1"];
    assert_eq!(
        s.template(),
        "// Exercise 2.1: fill\nlet n = ?;\nlet y = x.matmul(&?)?;"
    );
    assert_eq!(
        s.solved(),
        "// Exercise 2.1: fill\nlet n = 2;\nlet y = x.matmul(&w)?;"
    );
    assert_eq!(s.answers(), 2);
    assert_eq!(find_blanks(&s.template()).len(), 2);
    assert_eq!(sols["2.2"].line, 19);
    std::fs::write(&path, "let x = 1;\n").unwrap();
    assert!(load_solutions(&path)
        .unwrap_err()
        .to_string()
        .contains("line 1"));
}
