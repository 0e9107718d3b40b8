package dev.twofold.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The root command: only groups the subcommands and answers --help and --version. */
@Command(
        name = "twofoldctl",
        mixinStandardHelpOptions = true,
        versionProvider = Twofoldctl.Version.class,
        description = "Operates a Twofold service through its REST API with an admin token.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  done",
            "  1  the server refused (its problem is printed), or the operation did not complete",
            "  2  usage error: bad arguments or missing --url/--token",
            "  3  cannot connect to the server",
            "",
            "Configuration: TWOFOLD_URL and TWOFOLD_TOKEN, or --url and --token-file on each command."
        },
        subcommands = {
            StatusCommand.class,
            ResetCommand.class,
            PasscodesCommand.class,
            EventsCommand.class,
            PolicyCommand.class,
            ImportCommand.class,
            EraseCommand.class,
            ExportCommand.class,
            RotateKeysCommand.class,
            CompletionCommand.class
        })
final class Twofoldctl {

    private final Transport transport;

    Twofoldctl(Transport transport) {
        this.transport = transport;
    }

    Transport transport() {
        return transport;
    }

    /** The version of the build the CLI was packaged with (the jar manifest's, if it has one). */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = Twofoldctl.class.getPackage().getImplementationVersion();
            return new String[] {"twofoldctl " + (version == null ? "(development build)" : version)};
        }
    }
}
