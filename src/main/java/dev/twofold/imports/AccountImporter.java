package dev.twofold.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofold.account.Caller;
import dev.twofold.api.model.ImportResult;
import dev.twofold.audit.EventOrigin;
import dev.twofold.passcode.ImportedPasscodeStore;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemType;
import dev.twofold.totp.ImportedFactorStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Imports an NDJSON file of accounts, {@value #BATCH_SIZE} lines at a time: each batch is read,
 * checked against what is stored (two queries), hashed outside any transaction and written in one
 * ({@link ImportStore}), and its results are written out before the next batch is read, so memory
 * holds one batch whatever the file's length. Runs on a worker thread (it blocks on each step).
 */
@ApplicationScoped
class AccountImporter {

    /** Lines per transaction: large enough that 10,000 seeds take a few dozen round trips. */
    static final int BATCH_SIZE = 500;
    /** The longest line read; a longer one is answered {@code payload-too-large}. */
    static final int MAX_LINE_BYTES = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(AccountImporter.class);

    private final ImportLineParser parser;
    private final ImportedFactorStore factors;
    private final ImportedPasscodeStore passcodes;
    private final ImportHashing hashing;
    private final ImportStore store;
    private final ObjectMapper json;
    private final Clock clock;

    AccountImporter(
            ObjectMapper json,
            ImportedFactorStore factors,
            ImportedPasscodeStore passcodes,
            ImportHashing hashing,
            ImportStore store,
            Clock clock) {
        this.parser = new ImportLineParser(json);
        this.factors = factors;
        this.passcodes = passcodes;
        this.hashing = hashing;
        this.store = store;
        this.json = json;
        this.clock = clock;
    }

    /** Reads {@code in} to its end, writing one result line to {@code out} per non-blank input line. */
    void run(InputStream in, boolean dryRun, Caller caller, EventOrigin origin, OutputStream out) throws IOException {
        String admin = caller.actor().orElse("");
        BoundedLines lines = new BoundedLines(in, MAX_LINE_BYTES);
        List<ImportLine> batch = new ArrayList<>(BATCH_SIZE);
        Optional<BoundedLines.Line> line;
        while ((line = lines.next()).isPresent()) {
            if (!line.get().blank()) {
                batch.add(read(line.get(), caller));
            }
            if (batch.size() == BATCH_SIZE) {
                write(process(batch, dryRun, admin, origin), out);
                batch.clear();
            }
        }
        write(process(batch, dryRun, admin, origin), out);
    }

    private ImportLine read(BoundedLines.Line line, Caller caller) {
        if (line.tooLong()) {
            return ImportLine.failed(
                    line.number(),
                    new ProblemException(
                            ProblemType.PAYLOAD_TOO_LARGE, "The line is longer than " + MAX_LINE_BYTES + " bytes."));
        }
        try {
            ImportedAccount account = parser.parse(line.bytes());
            if (!caller.reaches(account.account().domain())) {
                // As for any other account operation of a scoped admin: other domains look empty.
                return ImportLine.failed(
                        line.number(), new ProblemException(ProblemType.NOT_FOUND, "No such account."));
            }
            return ImportLine.parsed(line.number(), account);
        } catch (ProblemException e) {
            return ImportLine.failed(line.number(), e);
        }
    }

    private List<ImportResult> process(List<ImportLine> batch, boolean dryRun, String admin, EventOrigin origin) {
        List<ImportLine> valid = batch.stream().filter(ImportLine::valid).toList();
        if (valid.isEmpty()) {
            return batch.stream().map(ImportLine::result).toList();
        }
        Set<String> existing = factors.existing(accounts(valid, true)).await().indefinitely();
        Map<String, Set<String>> names = new HashMap<>(
                passcodes.activeNames(accounts(valid, false)).await().indefinitely());
        Set<String> seen = new HashSet<>();
        for (ImportLine line : valid) {
            line.plan(existing, names, seen);
        }
        List<ImportLine> planned = valid.stream().filter(ImportLine::planned).toList();
        if (!dryRun && !planned.isEmpty()) {
            try {
                ImportStore.Batch rows = hashing.rows(planned, admin, origin);
                Set<String> imported =
                        store.write(rows, clock.instant()).await().indefinitely();
                planned.forEach(line -> line.settle(imported));
            } catch (ProblemException e) {
                LOG.warnf(
                        "Import batch of %d lines not written: %s",
                        planned.size(), e.type().slug());
                planned.forEach(line -> line.fail(e));
            }
        }
        return batch.stream().map(ImportLine::result).toList();
    }

    private static List<String> accounts(List<ImportLine> lines, boolean withTotp) {
        return lines.stream()
                .map(ImportLine::account)
                .filter(account -> withTotp
                        ? account.totp().isPresent()
                        : !account.passcodes().isEmpty())
                .map(account -> account.account().value())
                .distinct()
                .toList();
    }

    private void write(List<ImportResult> results, OutputStream out) throws IOException {
        for (ImportResult result : results) {
            out.write(json.writeValueAsBytes(result));
            out.write('\n');
        }
        out.flush();
    }
}
