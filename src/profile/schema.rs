//! The JSON Schema of the profile file, for checking a profile as thoroughly as a case.

use std::sync::LazyLock;

use schemars::generate::SchemaSettings;

/// The profile file's schema, for checking a profile as thoroughly as a case.
pub static PROFILE_SCHEMA: LazyLock<serde_json::Value> = LazyLock::new(|| {
    let generator = SchemaSettings::draft2020_12().into_generator();
    generator
        .into_root_schema_for::<super::Profile>()
        .to_value()
});
