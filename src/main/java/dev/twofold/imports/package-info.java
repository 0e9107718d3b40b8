/** Migration import: accounts' TOTP seeds, recovery codes and app passcodes from an earlier system, streamed as NDJSON. */
package dev.twofold.imports;
