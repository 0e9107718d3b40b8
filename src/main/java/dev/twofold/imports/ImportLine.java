package dev.twofold.imports;

import dev.twofold.api.model.ImportResult;
import dev.twofold.api.model.Problem;
import dev.twofold.api.model.ProblemFieldError;
import dev.twofold.passcode.ImportedPasscodeStore;
import dev.twofold.problem.ProblemException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One line of an import on its way to its result: parsed or failed, then planned, then settled. */
final class ImportLine {

    private final int number;
    private final ImportedAccount account;
    private ProblemException problem;
    private ImportResult.StatusEnum status;
    private boolean planned;
    private List<ImportedAccount.Passcode> newPasscodes = List.of();

    private ImportLine(int number, ImportedAccount account, ProblemException problem) {
        this.number = number;
        this.account = account;
        this.problem = problem;
        this.status = problem == null ? null : ImportResult.StatusEnum.ERROR;
    }

    static ImportLine parsed(int number, ImportedAccount account) {
        return new ImportLine(number, account, null);
    }

    static ImportLine failed(int number, ProblemException problem) {
        return new ImportLine(number, null, problem);
    }

    boolean valid() {
        return problem == null;
    }

    ImportedAccount account() {
        return account;
    }

    /** The line's passcodes whose name the account does not use yet. */
    List<ImportedAccount.Passcode> newPasscodes() {
        return newPasscodes;
    }

    /**
     * Decides what the line would write, given the accounts with a factor, the accounts' active
     * passcode names (taken here for this line's new ones) and the accounts given a factor by
     * earlier lines of the batch.
     */
    void plan(Set<String> withFactor, Map<String, Set<String>> names, Set<String> factorPlanned) {
        String id = account.account().value();
        if (account.totp().isPresent() && (withFactor.contains(id) || !factorPlanned.add(id))) {
            status = ImportResult.StatusEnum.SKIPPED;
            return;
        }
        Set<String> taken = names.computeIfAbsent(id, ignored -> new HashSet<>());
        newPasscodes = account.passcodes().stream()
                .filter(passcode -> taken.add(ImportedPasscodeStore.nameKey(passcode.name())))
                .toList();
        planned = account.totp().isPresent() || !newPasscodes.isEmpty();
        status = planned ? ImportResult.StatusEnum.IMPORTED : ImportResult.StatusEnum.SKIPPED;
    }

    boolean planned() {
        return planned;
    }

    /** After the write: imported if the account was among those written, else someone was quicker. */
    void settle(Set<String> imported) {
        status = imported.contains(account.account().value())
                ? ImportResult.StatusEnum.IMPORTED
                : ImportResult.StatusEnum.SKIPPED;
    }

    void fail(ProblemException e) {
        problem = e;
        status = ImportResult.StatusEnum.ERROR;
    }

    ImportResult result() {
        ImportResult result = new ImportResult().line(number).status(status);
        if (account != null) {
            result.accountId(account.account().value());
        }
        if (problem != null) {
            result.problem(problemOf(problem));
        }
        return result;
    }

    private static Problem problemOf(ProblemException e) {
        Problem document = new Problem()
                .type(URI.create(e.type().uri()))
                .title(e.type().title())
                .status(e.type().status())
                .detail(e.detail());
        if (!e.invalidFields().isEmpty()) {
            document.errors(e.invalidFields().stream()
                    .map(field -> new ProblemFieldError().field(field.field()).message(field.message()))
                    .toList());
        }
        e.retryAfter().ifPresent(wait -> document.retryAfterSeconds((int) Math.max(1, wait.toSeconds())));
        return document;
    }
}
