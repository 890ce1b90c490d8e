# placeholder: conformance tests (owned by the tests work)
