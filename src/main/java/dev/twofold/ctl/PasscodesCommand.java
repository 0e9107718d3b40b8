package dev.twofold.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "passcodes",
        mixinStandardHelpOptions = true,
        description = "Lists or revokes an account's app passcodes (never shows a passcode).",
        subcommands = {PasscodesCommand.Listing.class, PasscodesCommand.Revocation.class})
final class PasscodesCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the active app passcodes.")
    static final class Listing extends AccountCommand {

        private static final List<Output.Column> COLUMNS = List.of(
                new Output.Column("ID", "id"),
                new Output.Column("NAME", "name"),
                new Output.Column("PROTOCOLS", "protocols"),
                new Output.Column("ALLOWED IPS", "allowedIps"),
                new Output.Column("CREATED", "createdAt"),
                new Output.Column("EXPIRES", "expiresAt"),
                new Output.Column("LAST USED", "lastUsedAt"),
                new Output.Column("FROM", "lastUsedIp"));

        @Override
        public Integer call() {
            JsonNode answer = api.client().get(accountPath() + "/app-passcodes");
            api.output().table(answer, answer.path("items"), "no active app passcodes", COLUMNS);
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revokes one app passcode, or all of them with --all; no replica accepts them afterwards.")
    static final class Revocation extends AccountCommand {

        @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The passcode's id.")
        String id;

        @Option(names = "--all", description = "Revoke every active app passcode of the account.")
        boolean all;

        @Override
        public Integer call() {
            if (all == (id != null)) {
                throw api.usageError("name one passcode ID or pass --all");
            }
            String path = accountPath() + "/app-passcodes";
            api.client().delete(all ? path : path + "/" + TwofoldClient.segment(id));
            api.output().done(all ? "revoked every app passcode of " + account : "revoked app passcode " + id);
            return ExitCodes.OK;
        }
    }
}
