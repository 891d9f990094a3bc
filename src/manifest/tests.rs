//! Every manifest form and error, with the texts kubectl v1.32 printed for the same input
//! (checked with the real kubectl 1.32.5 against a fake API server).

use super::*;
use serde_json::json;

fn names(docs: &[Document]) -> Vec<String> {
    docs.iter().map(|d| d.value["metadata"]["name"].as_str().unwrap_or("").to_string()).collect()
}

const SVC: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n";

#[test]
fn multi_document_yaml_with_empty_documents() {
    let text = format!("---\n# just a comment\n---\n{SVC}---\n\n---\n{}", SVC.replace("name: a", "name: b"));
    let docs = parse_str("web.yaml", &text).unwrap();
    assert_eq!(names(&docs), ["a", "b"]);
    assert_eq!((docs[0].line, docs[0].index, docs[0].source.as_str()), (4, 0, "web.yaml"));
    assert_eq!((docs[1].line, docs[1].index), (11, 1));
}

#[test]
fn json_single_and_stream() {
    let one = r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"a","labels":{"n":"0"}}}"#;
    let docs = parse_str("s.json", one).unwrap();
    assert_eq!(docs[0].value["metadata"]["labels"]["n"], json!("0"));
    let two = format!("{one}\n{}", one.replace("\"a\"", "\"b\""));
    assert_eq!(names(&parse_str("s.json", &two).unwrap()), ["a", "b"]);
}

#[test]
fn lists_are_expanded() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n\
                - apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n";
    let docs = parse_str("l.yaml", text).unwrap();
    assert_eq!(names(&docs), ["a", "b"]);
    assert_eq!(docs[1].list_item, Some(1));
    assert_eq!(docs[1].value["kind"], "Pod");
    let empty = parse_str("l.yaml", "apiVersion: v1\nkind: List\nitems: []\n").unwrap();
    assert!(empty.is_empty());
}

#[test]
fn list_item_without_kind_is_reported_without_prefix() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  metadata:\n    name: a\n";
    let e = parse_str("l.yaml", text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unable to get type info from the object \"*unstructured.Unstructured\": Object 'Kind' is missing in 'object has no kind field '"
    );
}

#[test]
fn yaml_syntax_error_reads_like_kubectl() {
    let text =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  ports:\n  - port: 80\n    name: web: x\n";
    let e = parse_str("bad.yaml", text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "error: error parsing bad.yaml: error converting YAML to JSON: yaml: line 8: mapping values are not allowed in this context"
    );
}

#[test]
fn documents_before_a_syntax_error_are_kept() {
    let text = format!("{SVC}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  x: y: z\n");
    let items = parse_each("l2.yaml", &text, true);
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert_eq!(
        items[1].as_ref().unwrap_err().to_string(),
        "error: error parsing l2.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context"
    );
}

#[test]
fn missing_kind_and_api_version() {
    let e = parse_str("none.yaml", "metadata:\n  name: b\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "error: error validating \"none.yaml\": error validating data: [apiVersion not set, kind not set]; \
         if you choose to ignore these errors, turn validation off with --validate=false"
    );
    let e = parse_str("noapi.yaml", "kind: Service\nmetadata:\n  name: b\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "error: error validating \"noapi.yaml\": error validating data: apiVersion not set; \
         if you choose to ignore these errors, turn validation off with --validate=false"
    );
}

#[test]
fn validation_error_ends_the_file_but_decode_errors_do_not() {
    let text = format!("{SVC}---\nmetadata: {{}}\n---\n{SVC}");
    let items = parse_each("v.yaml", &text, true);
    assert_eq!(items.len(), 2);
    let items = parse_each("v.yaml", &text, false);
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[1].as_ref().unwrap_err().to_string(),
        "error: unable to decode \"v.yaml\": Object 'Kind' is missing in '{\"metadata\":{}}'"
    );
}

#[test]
fn json_errors_read_like_kubectl() {
    let text = "{\"apiVersion\":\"v1\",\n\"kind\":\"Service\",\n \"metadata\":{\"name\":\"a\",}}\n";
    assert_eq!(
        parse_str("badj.json", text).unwrap_err().to_string(),
        "error: error parsing badj.json: json: offset 63: invalid character '}' looking for beginning of object key string"
    );
    let e = parse_str("t.json", "{\"apiVersion\":\"v1\"").unwrap_err();
    assert_eq!(e.to_string(), "error: error parsing t.json: unexpected EOF");
}

#[test]
fn several_errors_are_aggregated_without_prefix() {
    let text = format!("{SVC}---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n- apiVersion: v1\n");
    let e = parse_str("l.yaml", &text).unwrap_err();
    assert!(matches!(&e, Error::Aggregate(lines) if lines.len() == 2));
}

#[test]
fn yes_and_on_are_booleans_like_kubectl() {
    let docs = parse_str("b.yaml", &format!("{SVC}spec:\n  x: yes\n  w: \"yes\"\n  z: 012\n")).unwrap();
    assert_eq!(docs[0].value["spec"], json!({"x": true, "w": "yes", "z": 10}));
}

#[test]
fn reads_files_folders_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::write(root.join("b.yaml"), SVC.replace("name: a", "name: b")).unwrap();
    std::fs::write(root.join("a.json"), r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"}}"#).unwrap();
    std::fs::write(root.join("c.txt"), "not a manifest").unwrap();
    std::fs::write(root.join("sub/z.yml"), SVC.replace("name: a", "name: z")).unwrap();
    let folder = root.to_string_lossy().to_string();
    let mut no_stdin = std::io::empty();
    let docs = read(std::slice::from_ref(&folder), false, &mut no_stdin).unwrap();
    assert_eq!(names(&docs), ["a", "b"]);
    assert_eq!(docs[0].source, format!("{folder}/a.json"));
    let docs = read(std::slice::from_ref(&folder), true, &mut no_stdin).unwrap();
    assert_eq!(names(&docs), ["a", "b", "z"]);
    // A file named explicitly is read whatever its extension.
    let txt = format!("{folder}/c.txt");
    std::fs::write(&txt, SVC).unwrap();
    assert_eq!(names(&read(&[txt], false, &mut no_stdin).unwrap()), ["a"]);
    let mut stdin = SVC.as_bytes();
    let docs = read(&["-".to_string()], false, &mut stdin).unwrap();
    assert_eq!(docs[0].source, "STDIN");
}

#[test]
fn missing_paths_fail_before_reading() {
    let mut no_stdin = std::io::empty();
    let e = read(&["nope.yaml".to_string()], false, &mut no_stdin).unwrap_err();
    assert_eq!(e.to_string(), "error: the path \"nope.yaml\" does not exist");
    let e = read(&["n1.yaml".to_string(), "n2.yaml".to_string()], false, &mut no_stdin).unwrap_err();
    assert_eq!(e.to_string(), "the path \"n1.yaml\" does not exist\nthe path \"n2.yaml\" does not exist");
}

#[test]
fn yaml_parser_errors_use_go_yaml_line_rules() {
    let cases = [
        ("metadata:\n  name: a\n  labels:\n    x: 1\n   y: 2\n", "yaml: line 4: did not find expected key"),
        ("metadata:\n  name: [a\n", "yaml: line 2: did not find expected ',' or ']'"),
        ("metadata:\n  name: \"a\n", "yaml: line 3: found unexpected end of stream"),
        ("metadata:\n  name: *x\n", "yaml: unknown anchor 'x' referenced"),
        ("apiVersion: v1\n- kind: Service\n", "yaml: line 1: did not find expected key"),
    ];
    for (text, want) in cases {
        let (_, err) = stream::documents(text);
        assert_eq!(err.unwrap(), format!("error converting YAML to JSON: {want}"), "{text}");
    }
}

#[test]
fn urls_are_refused_with_a_clear_message() {
    let e = read(&["https://k8s.io/examples/web.yaml".to_string()], false, &mut std::io::empty()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "error: unable to read URL \"https://k8s.io/examples/web.yaml\": kstate has no network access; save the manifest to a file and use -f FILE"
    );
}
