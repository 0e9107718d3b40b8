package dev.twofold.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Reads, sets or clears a domain's policy (the domain is the part of the account id after @).")
final class PolicyCommand {

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows the domain's policy.")
    int get(@Mixin ApiOptions api, @Parameters(paramLabel = "DOMAIN", description = "The mail domain.") String domain) {
        api.output().record(api.client().get(path(domain)));
        return ExitCodes.OK;
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Replaces the domain's policy with the one the options describe; the server checks it.")
    int set(
            @Mixin ApiOptions api,
            @Parameters(paramLabel = "DOMAIN", description = "The mail domain.") String domain,
            @Option(names = "--two-factor", paramLabel = "optional|required", description = "Whether 2FA is required.")
                    String twoFactor,
            @Option(names = "--grace", paramLabel = "PERIOD", description = "Enrollment grace period, e.g. P14D.")
                    String grace,
            @Option(
                            names = "--mail-password",
                            paramLabel = "allowed|never",
                            description = "Whether the primary password works for mail protocols.")
                    String mailPassword,
            @Option(
                            names = "--allowed-protocols",
                            paramLabel = "PROTOCOL",
                            split = ",",
                            description = "Protocols app passcodes may be created for, e.g. imap,smtp.")
                    List<String> allowedProtocols,
            @Option(names = "--max-app-passcodes", paramLabel = "N", description = "Active app passcodes per account.")
                    Integer maxAppPasscodes,
            @Option(
                            names = "--passcode-lifetime",
                            paramLabel = "PERIOD",
                            description = "Longest app passcode lifetime, e.g. P365D.")
                    String passcodeLifetime) {
        ObjectNode policy = TwofoldClient.JSON.createObjectNode();
        putIfGiven(policy, "twoFactor", twoFactor);
        putIfGiven(policy, "enrollmentGracePeriod", grace);
        putIfGiven(policy, "mailPassword", mailPassword);
        if (allowedProtocols != null) {
            allowedProtocols.forEach(policy.putArray("allowedProtocols")::add);
        }
        if (maxAppPasscodes != null) {
            policy.put("maxAppPasscodes", maxAppPasscodes);
        }
        putIfGiven(policy, "appPasscodeLifetime", passcodeLifetime);
        if (policy.isEmpty()) {
            throw api.usageError("describe the policy with at least one option (see --help)");
        }
        api.output().record(api.client().put(path(domain), policy));
        return ExitCodes.OK;
    }

    @Command(
            name = "clear",
            mixinStandardHelpOptions = true,
            description = "Removes the domain's policy: its accounts behave as without one.")
    int clear(
            @Mixin ApiOptions api, @Parameters(paramLabel = "DOMAIN", description = "The mail domain.") String domain) {
        api.client().delete(path(domain));
        api.output().done("no policy for " + domain + " any more");
        return ExitCodes.OK;
    }

    private static String path(String domain) {
        return "/v1/admin/domains/" + TwofoldClient.segment(domain) + "/policy";
    }

    private static void putIfGiven(ObjectNode policy, String field, String value) {
        if (value != null) {
            policy.put(field, value);
        }
    }
}
