//! Here-document bodies are read after the line that names them, so the parser leaves a slot
//! reference (`\0<n>`) in the redirection and fills it in once the whole script is read.

use super::ast::{Cmd, Part, Redir, RedirOp, Word};

pub fn fill(cmd: &mut Cmd, bodies: &[Word]) {
    match cmd {
        Cmd::Simple { assigns, words, redirs, .. } => {
            assigns.iter_mut().for_each(|(_, w)| fill_word(w, bodies));
            words.iter_mut().for_each(|w| fill_word(w, bodies));
            fill_redirs(redirs, bodies);
        }
        Cmd::Pipeline { cmds, .. } | Cmd::Seq(cmds) => cmds.iter_mut().for_each(|c| fill(c, bodies)),
        Cmd::And(a, b) | Cmd::Or(a, b) => {
            fill(a, bodies);
            fill(b, bodies);
        }
        Cmd::Background(c) | Cmd::Func { body: c, .. } => fill(c, bodies),
        Cmd::If { arms, otherwise } => {
            for (c, b) in arms {
                fill(c, bodies);
                fill(b, bodies);
            }
            if let Some(o) = otherwise {
                fill(o, bodies);
            }
        }
        Cmd::For { items, body, .. } => {
            items.iter_mut().flatten().for_each(|w| fill_word(w, bodies));
            fill(body, bodies);
        }
        Cmd::While { cond, body, .. } => {
            fill(cond, bodies);
            fill(body, bodies);
        }
        Cmd::Case { word, arms } => {
            fill_word(word, bodies);
            for (pats, c) in arms {
                pats.iter_mut().for_each(|w| fill_word(w, bodies));
                fill(c, bodies);
            }
        }
        Cmd::Group { body, redirs } | Cmd::Subshell { body, redirs } | Cmd::Redirected { body, redirs } => {
            fill(body, bodies);
            fill_redirs(redirs, bodies);
        }
    }
}

fn fill_redirs(redirs: &mut [Redir], bodies: &[Word]) {
    for r in redirs {
        if r.op == RedirOp::Here {
            if let Some(Part::Lit(s)) = r.target.0.first() {
                if let Some(slot) = s.strip_prefix('\0').and_then(|n| n.parse::<usize>().ok()) {
                    r.target = bodies.get(slot).cloned().unwrap_or_default();
                    continue;
                }
            }
        }
        fill_word(&mut r.target, bodies);
    }
}

fn fill_word(w: &mut Word, bodies: &[Word]) {
    for p in &mut w.0 {
        match p {
            Part::Subst { body, .. } => fill(body, bodies),
            Part::Param { op: super::ast::ParamOp::With(_, w), .. } => fill_word(w, bodies),
            Part::Arith { expr, .. } => fill_word(expr, bodies),
            _ => {}
        }
    }
}
