//! docs/commands.md must name every verb, subcommand and flag the CLI accepts: this test walks
//! the clap definition, so a flag added without documentation fails the build's tests.

#[cfg(test)]
mod tests {
    const DOC: &str = include_str!("../../docs/commands.md");

    /// Verbs and flags kstate keeps hidden (kubectl's accepted-but-ignored connection flags, the
    /// completion helper) are documented as a group or not at all.
    fn missing(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set() && !a.is_global_set()) {
            if let Some(long) = arg.get_long() {
                if long != "help" && long != "version" && !DOC.contains(&format!("--{long}")) {
                    out.push(format!("{path} --{long}"));
                }
            }
        }
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let name = sub.get_name();
            let full = if path.is_empty() { name.to_string() } else { format!("{path} {name}") };
            let named = [format!("`{full}"), format!("{full}`"), format!("`kstate {full}"), format!("`{name}")]
                .iter()
                .any(|form| DOC.contains(form.as_str()));
            if !named {
                out.push(full.clone());
            }
            missing(sub, &full, out);
        }
    }

    #[test]
    fn commands_md_lists_every_served_kind() {
        let (_, rest) = DOC.split_once("Kinds kstate serves").expect("the list of kinds");
        let (list, _) = rest.split_once("\n\n").expect("one paragraph");
        let list = list.replace('\n', " ");
        let words: Vec<&str> = list.split([' ', ',', '.', ':']).collect();
        for kind in crate::api::kinds::ALL.iter() {
            assert!(words.contains(&kind.plural), "docs/commands.md does not list {}", kind.plural);
        }
    }

    #[test]
    fn commands_md_names_every_verb_and_flag() {
        let mut out = Vec::new();
        missing(&crate::cli::full_command(), "", &mut out);
        assert!(out.is_empty(), "docs/commands.md does not mention:\n{}", out.join("\n"));
    }
}
