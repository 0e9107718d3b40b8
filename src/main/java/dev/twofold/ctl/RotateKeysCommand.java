package dev.twofold.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "rotate-keys",
        mixinStandardHelpOptions = true,
        description = {
            "Re-encrypts seeds under the active key; reports lookup rows still under older keys.",
            "Runs batch after batch until no seed is left under an older key (or --once).",
            "With --json each batch's result is printed as one line."
        })
final class RotateKeysCommand implements Callable<Integer> {

    private static final String[] LOOKUP_KINDS = {"appPasscodes", "recoveryCodes", "trustedDevices"};

    @Mixin
    ApiOptions api;

    @Option(
            names = "--retire-stale-lookups",
            description = "Also revoke app passcodes, forget trusted devices and delete unused recovery codes still"
                    + " keyed under an older key (their owners create new ones).")
    boolean retireStaleLookups;

    @Option(names = "--once", description = "Run one batch only.")
    boolean once;

    @Override
    public Integer call() {
        TwofoldClient client = api.client();
        Output output = api.output();
        String path = "/v1/admin/encryption/rotation" + (retireStaleLookups ? "?retireStaleLookups=true" : "");
        long reencrypted = 0;
        ObjectNode retired = TwofoldClient.JSON.createObjectNode();
        JsonNode batch;
        boolean progressed;
        do {
            batch = client.post(path);
            if (output.json()) {
                output.line(batch.toString());
            }
            reencrypted += batch.path("reencrypted").asLong();
            long retiredNow = 0;
            for (String kind : LOOKUP_KINDS) {
                long count = batch.path("retiredLookups").path(kind).asLong();
                retired.put(kind, retired.path(kind).asLong() + count);
                retiredNow += count;
            }
            // A batch that changed nothing means the rest cannot be done now (e.g. seeds that fail to open).
            progressed = batch.path("reencrypted").asLong() + retiredNow > 0;
        } while (!once && progressed && (batch.path("remaining").asLong() > 0 || retireStaleLookups));
        if (!output.json()) {
            ObjectNode summary = ((ObjectNode) batch.deepCopy()).put("reencrypted", reencrypted);
            summary.set("retiredLookups", retired);
            output.record(summary);
        }
        if (!once && batch.path("remaining").asLong() > 0) {
            throw new CommandFailure(
                    batch.path("remaining").asLong() + " seeds are still sealed under older keys and could not be"
                            + " re-encrypted; the server log names their accounts",
                    ExitCodes.FAILED);
        }
        return ExitCodes.OK;
    }
}
