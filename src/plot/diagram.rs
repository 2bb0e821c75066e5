//! Drawings of a neuron and of a network: the lecture's pictures, drawn with plotters.

use super::{draw_err, FONT};
use anyhow::{ensure, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Most nodes a column shows; a larger layer shows its first and last three around a `⋮`.
const SHOWN: usize = 7;
const RADIUS: i32 = 24;

/// A drawing of nodes in columns, left to right, each node of a column connected by an arrow to
/// every node of the next (a builder): [`Diagram::neuron`] and [`Diagram::network`] are the
/// lecture's pictures of a neuron and of a multi-layer perceptron.
#[derive(Debug, Clone)]
pub struct Diagram {
    columns: Vec<Column>,
    /// Text beside the arrows from column `i` to `i + 1`, one per source node (or one for all).
    arrow_labels: Vec<Vec<String>>,
    title: Option<String>,
}

#[derive(Debug, Clone)]
struct Column {
    nodes: Vec<String>,
    caption: String,
}

impl Diagram {
    /// The lecture's neuron: the inputs 1, x₁, x₂, weighted by ω₀, ω₁, ω₂, summed into
    /// a = ω₀ + ω₁x₁ + ω₂x₂, then the activation ŷ = g(a) (a step: 1 when a > 0).
    pub fn neuron() -> Self {
        Diagram {
            columns: vec![
                column(&["1", "x₁", "x₂"], "inputs"),
                column(&["a"], "a = ω₀ + ω₁x₁ + ω₂x₂"),
                column(&["ŷ"], "ŷ = g(a)"),
            ],
            arrow_labels: vec![
                vec!["ω₀".into(), "ω₁".into(), "ω₂".into()],
                vec!["g: step".into()],
            ],
            title: Some("a neuron".into()),
        }
    }

    /// A multi-layer perceptron with `sizes[i]` nodes in layer `i` (inputs first, outputs
    /// last), every node connected to every node of the next layer. Under each layer: its size;
    /// between two layers: the shape of the weight matrix `W`, `[nodes in, nodes out]`, and of
    /// the bias `b`. A layer of more than seven nodes shows its first and last three.
    pub fn network(sizes: &[usize]) -> Self {
        let last = sizes.len().saturating_sub(1);
        let columns = sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let (symbol, what) = match i {
                    0 => ("x", "input"),
                    i if i == last => ("ŷ", "output"),
                    _ => ("h", "hidden"),
                };
                let names: Vec<String> = (1..=n).map(|k| format!("{symbol}{}", sub(k))).collect();
                Column {
                    nodes: names,
                    caption: format!("{what}: {n}"),
                }
            })
            .collect();
        let arrow_labels = sizes
            .windows(2)
            .map(|w| vec![format!("W: [{}, {}], b: [{}]", w[0], w[1], w[1])])
            .collect();
        Diagram {
            columns,
            arrow_labels,
            title: None,
        }
    }

    /// Width in pixels it needs: room for the text between layers.
    pub(super) fn width(&self) -> u32 {
        (230 * self.columns.len() as u32).max(800)
    }

    /// Title above the drawing.
    pub fn title(mut self, title: &str) -> Self {
        self.title = Some(title.to_string());
        self
    }

    pub(super) fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
        ensure!(
            self.columns.iter().all(|c| !c.nodes.is_empty()),
            "Diagram: every layer needs at least one node"
        );
        let (w, h) = area.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let top = if self.title.is_some() { 60 } else { 20 };
        if let Some(title) = &self.title {
            let style = TextStyle::from((FONT, 26)).pos(Pos::new(HPos::Center, VPos::Top));
            area.draw(&Text::new(title.clone(), (w / 2, 14), style))
                .map_err(draw_err)?;
        }
        let n = self.columns.len() as i32;
        let x_of = |i: usize| {
            let margin = 90.min(w / 6);
            margin + (w - 2 * margin) * i as i32 / (n - 1).max(1)
        };
        let bottom = h - 50;
        let shown: Vec<Vec<Option<&str>>> = self.columns.iter().map(|c| shown(&c.nodes)).collect();
        let y_of = |count: usize, j: usize| {
            let gap = ((bottom - top) / count as i32).min(90);
            (top + bottom) / 2 + gap * (2 * j as i32 + 1 - count as i32) / 2
        };
        let small = TextStyle::from((FONT, 17)).pos(Pos::new(HPos::Center, VPos::Bottom));
        // Below the lowest node and its layer's caption.
        let under = shown
            .iter()
            .map(|nodes| y_of(nodes.len(), nodes.len() - 1))
            .max()
            .unwrap_or(bottom)
            + RADIUS
            + 36;
        for (i, pair) in shown.windows(2).enumerate() {
            let (x0, x1) = (x_of(i) + RADIUS, x_of(i + 1) - RADIUS);
            for (j, from) in pair[0].iter().enumerate() {
                for (k, to) in pair[1].iter().enumerate() {
                    if from.is_none() || to.is_none() {
                        continue;
                    }
                    let (y0, y1) = (y_of(pair[0].len(), j), y_of(pair[1].len(), k));
                    arrow(area, (x0, y0), (x1, y1))?;
                }
                let labels = &self.arrow_labels[i];
                if labels.len() > 1 && labels.len() == pair[0].len() && from.is_some() {
                    // One label per source node, a third of the way along its first arrow.
                    let y0 = y_of(pair[0].len(), j);
                    let y1 = y_of(pair[1].len(), 0);
                    let (lx, ly) = (x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3 - 6);
                    area.draw(&Text::new(labels[j].clone(), (lx, ly), small.clone()))
                        .map_err(draw_err)?;
                }
            }
            if let [label] = self.arrow_labels[i].as_slice() {
                // One label for all the arrows: under them when they fan out, else above the one.
                let (at, pos) = if pair[0].len() > 1 || pair[1].len() > 1 {
                    (((x0 + x1) / 2, under), VPos::Top)
                } else {
                    (((x0 + x1) / 2, y_of(1, 0) - 6), VPos::Bottom)
                };
                let style = small.clone().pos(Pos::new(HPos::Center, pos));
                area.draw(&Text::new(label.clone(), at, style))
                    .map_err(draw_err)?;
            }
        }
        let node_text = TextStyle::from((FONT, 20)).pos(Pos::new(HPos::Center, VPos::Center));
        let caption = TextStyle::from((FONT, 18)).pos(Pos::new(HPos::Center, VPos::Top));
        for (i, (col, nodes)) in self.columns.iter().zip(&shown).enumerate() {
            let x = x_of(i);
            for (j, node) in nodes.iter().enumerate() {
                let y = y_of(nodes.len(), j);
                match node {
                    Some(name) => {
                        area.draw(&Circle::new((x, y), RADIUS, WHITE.filled()))
                            .map_err(draw_err)?;
                        area.draw(&Circle::new((x, y), RADIUS, BLACK.stroke_width(2)))
                            .map_err(draw_err)?;
                        area.draw(&Text::new(name.to_string(), (x, y), node_text.clone()))
                            .map_err(draw_err)?;
                    }
                    None => area
                        .draw(&Text::new("⋮", (x, y), node_text.clone()))
                        .map_err(draw_err)?,
                }
            }
            let y = y_of(nodes.len(), nodes.len() - 1) + RADIUS + 8;
            area.draw(&Text::new(col.caption.clone(), (x, y), caption.clone()))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}

fn column(nodes: &[&str], caption: &str) -> Column {
    Column {
        nodes: nodes.iter().map(|s| s.to_string()).collect(),
        caption: caption.to_string(),
    }
}

/// The nodes a column shows: all of them, or the first and last three around a gap (`None`).
fn shown(nodes: &[String]) -> Vec<Option<&str>> {
    if nodes.len() <= SHOWN {
        return nodes.iter().map(|s| Some(s.as_str())).collect();
    }
    let ends = SHOWN / 2;
    let head = nodes[..ends].iter().map(|s| Some(s.as_str()));
    let tail = nodes[nodes.len() - ends..].iter().map(|s| Some(s.as_str()));
    head.chain(std::iter::once(None)).chain(tail).collect()
}

/// `12` as subscript digits, `₁₂`.
fn sub(k: usize) -> String {
    k.to_string()
        .chars()
        .map(|d| char::from_u32(0x2080 + d.to_digit(10).unwrap_or(0)).unwrap_or(d))
        .collect()
}

fn arrow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    from: (i32, i32),
    to: (i32, i32),
) -> Result<()> {
    let color = RGBColor(90, 90, 90);
    area.draw(&PathElement::new(vec![from, to], color.stroke_width(2)))
        .map_err(draw_err)?;
    let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let (back, half) = (11.0, 5.0);
    let at = |along: f64, across: f64| {
        (
            (to.0 as f64 - ux * along - uy * across).round() as i32,
            (to.1 as f64 - uy * along + ux * across).round() as i32,
        )
    };
    area.draw(&Polygon::new(
        vec![to, at(back, half), at(back, -half)],
        color.filled(),
    ))
    .map_err(draw_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_layers_show_their_ends_around_a_gap() {
        let names: Vec<String> = (1..=784).map(|k| format!("x{}", sub(k))).collect();
        let shown = shown(&names);
        assert_eq!(shown.len(), 7);
        assert_eq!(shown[0], Some("x₁"));
        assert_eq!(shown[3], None);
        assert_eq!(shown[6], Some("x₇₈₄"));
    }

    #[test]
    fn diagrams_render() {
        for diagram in [
            Diagram::neuron(),
            Diagram::network(&[2, 2, 2]),
            Diagram::network(&[784, 100, 10]),
        ] {
            let png = diagram.to_png().unwrap();
            assert_eq!(&png[1..4], b"PNG");
        }
    }
}
