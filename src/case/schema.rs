//! The JSON Schema of the case file, generated from the serde types, for editors and the checker.

use std::sync::LazyLock;

use schemars::generate::SchemaSettings;

use super::model::Case;

/// The case file's schema (draft 2020-12) as JSON, built once per process.
pub static CASE_SCHEMA: LazyLock<serde_json::Value> = LazyLock::new(|| {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Case>().to_value();
    if let Some(root) = schema.as_object_mut() {
        root.insert("title".into(), "lexsarah ärendefil, version 1".into());
    }
    schema
});

/// The schema as pretty-printed JSON, as `lexsarah schema` prints it.
pub fn case_schema_text() -> String {
    serde_json::to_string_pretty(&*CASE_SCHEMA).expect("a JSON value serializes")
}
