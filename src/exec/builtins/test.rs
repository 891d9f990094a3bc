//! `test` and `[`.

use super::super::backing::EntryKind;
use super::super::interp::{Res, Shell};
use super::super::io::Io;

pub fn test(sh: &mut Shell, io: &mut Io, argv: &[String]) -> Res {
    let mut args: Vec<String> = argv[1..].to_vec();
    if argv[0] == "[" {
        if args.last().map(String::as_str) != Some("]") {
            io.err(&format!("{}[: missing ]\n", prefix(sh)));
            return Ok(2);
        }
        args.pop();
    }
    match or_expr(sh, &args) {
        Ok(b) => Ok(i32::from(!b)),
        Err(msg) => {
            io.err(&format!("{}{}: {msg}\n", prefix(sh), argv[0]));
            Ok(2)
        }
    }
}

fn prefix(sh: &Shell) -> String {
    match sh.kind {
        super::super::interp::ShellKind::Dash => format!("{}: {}: ", sh.name, sh.line),
        super::super::interp::ShellKind::Bash => format!("{}: line {}: ", sh.name, sh.line),
        super::super::interp::ShellKind::Ash => format!("{}: ", sh.name),
    }
}

fn or_expr(sh: &mut Shell, a: &[String]) -> Result<bool, String> {
    if let Some(i) = a.iter().position(|x| x == "-o").filter(|i| *i > 0 && a.len() > 2) {
        return Ok(and_expr(sh, &a[..i])? | or_expr(sh, &a[i + 1..])?);
    }
    and_expr(sh, a)
}

fn and_expr(sh: &mut Shell, a: &[String]) -> Result<bool, String> {
    if let Some(i) = a.iter().position(|x| x == "-a").filter(|i| *i > 0 && a.len() > 2) {
        return Ok(primary(sh, &a[..i])? & and_expr(sh, &a[i + 1..])?);
    }
    primary(sh, a)
}

fn primary(sh: &mut Shell, a: &[String]) -> Result<bool, String> {
    match a {
        [] => Ok(false),
        [x] => Ok(!x.is_empty()),
        [bang, ..] if bang == "!" => {
            // Counted, not recursed: `! ! ! ...` may be very long.
            let n = a.iter().take_while(|x| *x == "!").count();
            let rest = &a[n..];
            if rest.is_empty() {
                // The last `!` is the operand: a non-empty string.
                return Ok((n - 1) % 2 == 0);
            }
            let inner = primary(sh, rest)?;
            Ok(if n % 2 == 1 { !inner } else { inner })
        }
        [op, x] => unary(sh, op, x),
        [l, op, r] => binary(l, op, r),
        [open, inner @ .., close] if open == "(" && close == ")" => or_expr(sh, inner),
        _ => Err("too many arguments".into()),
    }
}

fn unary(sh: &mut Shell, op: &str, x: &str) -> Result<bool, String> {
    let cwd = sh.env.cwd.clone();
    let stat = |sh: &mut Shell| sh.fs.stat(&cwd, x).ok().map(|(_, e)| e);
    Ok(match op {
        "-n" => !x.is_empty(),
        "-z" => x.is_empty(),
        "-e" | "-a" => stat(sh).is_some(),
        "-f" => stat(sh).is_some_and(|e| e.kind == EntryKind::File),
        "-d" => stat(sh).is_some_and(|e| e.is_dir()),
        "-s" => stat(sh).is_some_and(|e| !e.data.is_empty()),
        "-r" | "-w" => stat(sh).is_some(),
        "-x" => stat(sh).is_some_and(|e| e.is_dir() || e.mode & 0o111 != 0),
        "-L" | "-h" => sh.fs.lookup(&cwd, x).is_ok_and(|(_, e)| e.kind == EntryKind::Symlink),
        "-t" => false,
        _ => return Err(format!("{op}: unexpected operator")),
    })
}

fn binary(l: &str, op: &str, r: &str) -> Result<bool, String> {
    let num = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("Illegal number: {s}"));
    Ok(match op {
        "=" | "==" => l == r,
        "!=" => l != r,
        "<" => l < r,
        ">" => l > r,
        "-eq" => num(l)? == num(r)?,
        "-ne" => num(l)? != num(r)?,
        "-lt" => num(l)? < num(r)?,
        "-le" => num(l)? <= num(r)?,
        "-gt" => num(l)? > num(r)?,
        "-ge" => num(l)? >= num(r)?,
        "-a" => !l.is_empty() && !r.is_empty(),
        "-o" => !l.is_empty() || !r.is_empty(),
        _ => return Err(format!("{op}: unexpected operator")),
    })
}
