package dev.twofold.ctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Reads, sets or clears a domain's policy (the domain is the part of the account id after @).",
        subcommands = {PolicyCommand.Reading.class, PolicyCommand.Setting.class, PolicyCommand.Clearing.class})
final class PolicyCommand extends GroupCommand {

    /** A policy subcommand: the API options and the DOMAIN argument. */
    abstract static class OnDomain implements Callable<Integer> {

        @Mixin
        ApiOptions api;

        @Parameters(index = "0", paramLabel = "DOMAIN", description = "The mail domain, e.g. example.com.")
        String domain;

        String policyPath() {
            return "/v1/admin/domains/" + TwofoldClient.segment(domain) + "/policy";
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows the domain's policy.")
    static final class Reading extends OnDomain {

        @Override
        public Integer call() {
            api.output().record(api.client().get(policyPath()));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = "Replaces the domain's policy with the one the options describe; the server checks it.")
    static final class Setting extends OnDomain {

        @Option(names = "--two-factor", paramLabel = "optional|required", description = "Whether 2FA is required.")
        String twoFactor;

        @Option(names = "--grace", paramLabel = "PERIOD", description = "Enrollment grace period, e.g. P14D.")
        String grace;

        @Option(
                names = "--mail-password",
                paramLabel = "allowed|never",
                description = "Whether the primary password works for mail protocols.")
        String mailPassword;

        @Option(
                names = "--allowed-protocols",
                paramLabel = "PROTOCOL",
                split = ",",
                description = "Protocols app passcodes may be created for, e.g. imap,smtp.")
        List<String> allowedProtocols;

        @Option(names = "--max-app-passcodes", paramLabel = "N", description = "Active app passcodes per account.")
        Integer maxAppPasscodes;

        @Option(names = "--passcode-lifetime", paramLabel = "PERIOD", description = "Longest app passcode lifetime.")
        String passcodeLifetime;

        @Override
        public Integer call() {
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
            api.output().record(api.client().put(policyPath(), policy));
            return ExitCodes.OK;
        }

        private static void putIfGiven(ObjectNode policy, String field, String value) {
            if (value != null) {
                policy.put(field, value);
            }
        }
    }

    @Command(
            name = "clear",
            mixinStandardHelpOptions = true,
            description = "Removes the domain's policy: its accounts behave as without one.")
    static final class Clearing extends OnDomain {

        @Override
        public Integer call() {
            api.client().delete(policyPath());
            api.output().done("no policy for " + domain + " any more");
            return ExitCodes.OK;
        }
    }
}
