//! Conversion of the removed apiVersions kstate still accepts (apps/v1beta1, apps/v1beta2).
