//! Every importer's recogniser (core/src/import/): `import::detect` and
//! each `Importer::detect` on the same bytes.
#![no_main]

use authdesk_core::import;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let found = import::detect(data);
    for importer in import::importers() {
        let alone = importer.detect(data);
        let listed = found
            .iter()
            .find(|(i, _)| i.id() == importer.id())
            .map(|(_, d)| *d);
        assert_eq!(alone, listed, "{} recognises differently", importer.id());
    }
});
