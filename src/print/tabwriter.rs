//! A port of the part of Go's `text/tabwriter` kubectl relies on.
//!
//! Cells are separated by `\t`; only tab-terminated cells belong to columns, so the last cell of a
//! line is never padded. A *column block* is a run of consecutive lines that have a cell in that
//! column; its width is the widest cell plus `padding`, at least `minwidth`. A line without a cell in
//! a column ends that column's block, which is what gives `kubectl describe` its separate alignment
//! groups. comfy-table cannot express blocks, hence this small module.

/// `kubectl get` tables: minwidth 6, padding 3.
pub const TABLE: (usize, usize) = (6, 3);
/// `kubectl describe` and `rollout history`: minwidth 0, padding 2.
pub const DESCRIBE: (usize, usize) = (0, 2);

/// Aligns `text` (lines of `\t`-separated cells) with the given `(minwidth, padding)`.
pub fn align(text: &str, (minwidth, padding): (usize, usize)) -> String {
    let ends_with_newline = text.ends_with('\n');
    let body = text.strip_suffix('\n').unwrap_or(text);
    let lines: Vec<Vec<&str>> = body.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut f =
        Formatter { lines: &lines, minwidth, padding, widths: Vec::new(), out: String::with_capacity(text.len() * 2) };
    f.format(0, lines.len());
    if ends_with_newline {
        f.out.push('\n');
    }
    f.out
}

struct Formatter<'a> {
    lines: &'a [Vec<&'a str>],
    minwidth: usize,
    padding: usize,
    widths: Vec<usize>,
    out: String,
}

fn width(cell: &str) -> usize {
    cell.chars().count()
}

impl Formatter<'_> {
    /// Go's `Writer.format`: find the column blocks of column `widths.len()` in `line0..line1`.
    fn format(&mut self, mut line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;
            let mut w = self.minwidth;
            while this < line1 && column + 1 < self.lines[this].len() {
                w = w.max(width(self.lines[this][column]) + self.padding);
                this += 1;
            }
            self.widths.push(w);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }

    fn write_lines(&mut self, from: usize, to: usize) {
        for i in from..to {
            for (j, cell) in self.lines[i].iter().enumerate() {
                self.out.push_str(cell);
                if let Some(&w) = self.widths.get(j) {
                    if j + 1 < self.lines[i].len() {
                        self.out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(cell))));
                    }
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_and_no_trailing_space() {
        let t = "NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nweb-0\t1/1\tRunning\t0\t5m18s\n";
        assert_eq!(
            align(t, TABLE),
            "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          5m18s\n"
        );
    }

    #[test]
    fn minwidth_applies_to_narrow_columns() {
        assert_eq!(align("A\tB\tIP\n", TABLE), "A     B     IP\n");
    }

    #[test]
    fn empty_last_cell_keeps_padding() {
        assert_eq!(align("NAME\tVOLUME\t\nd-1\tpvc-abc\t\n", TABLE), "NAME   VOLUME    \nd-1    pvc-abc   \n");
    }

    #[test]
    fn tabless_line_ends_a_block() {
        let t = "Name:\tweb-0\nService Account:\tdefault\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tStatefulSet/web\n";
        assert_eq!(
            align(t, DESCRIBE),
            "Name:             web-0\nService Account:  default\nIPs:\n  IP:           10.0.0.1\nControlled By:  StatefulSet/web\n"
        );
    }

    #[test]
    fn extra_cells_form_nested_columns() {
        let t = "Port:\tweb\t80/TCP\nTargetPort:\t80/TCP\n";
        assert_eq!(align(t, DESCRIBE), "Port:        web  80/TCP\nTargetPort:  80/TCP\n");
    }
}
