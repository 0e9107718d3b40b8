package dev.twofold.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofold.account.AccountId;
import dev.twofold.crypto.Base32;
import dev.twofold.crypto.LegacyPasscodeHash;
import dev.twofold.crypto.SecretGenerator;
import dev.twofold.passcode.MailProtocol;
import dev.twofold.passcode.PasscodeScope;
import dev.twofold.problem.ProblemException;
import dev.twofold.problem.ProblemException.InvalidField;
import dev.twofold.problem.ProblemType;
import dev.twofold.totp.HashAlgorithm;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one line of an import file into an {@link ImportedAccount}, per the contract's
 * {@code ImportLine}: a line that is no JSON object fails with {@code malformed-request}, one that
 * breaks a rule with {@code validation-failed} naming every offending field.
 */
final class ImportLineParser {

    private static final Set<String> LINE_FIELDS =
            Set.of("accountId", "totp", "lastStep", "recoveryCodes", "appPasscodes");
    private static final Set<String> TOTP_FIELDS = Set.of("otpauthUri", "secret", "algorithm", "digits", "period");
    private static final Set<String> PASSCODE_FIELDS = Set.of("name", "passcode", "hash", "protocols", "createdAt");
    private static final int MAX_ITEMS = 20;
    /** As for enrolled seeds (RFC 4226 asks for at least 128 bits). */
    private static final int MIN_SEED_BYTES = 16;

    private static final Pattern PASSCODE_SHAPE = Pattern.compile("[a-z]{16}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final ObjectMapper json;

    ImportLineParser(ObjectMapper json) {
        this.json = json;
    }

    ImportedAccount parse(byte[] line) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The line is not valid JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(ProblemType.MALFORMED_REQUEST, "The line is not a JSON object.");
        }
        List<InvalidField> problems = new ArrayList<>();
        unknownFields(node, "", LINE_FIELDS, problems);
        AccountId account = accountId(node.get("accountId"), problems);
        Optional<ImportedAccount.Seed> totp =
                node.hasNonNull("totp") ? seed(node.get("totp"), problems) : Optional.empty();
        long lastStep = lastStep(node.get("lastStep"), problems);
        List<String> codes = recoveryCodes(node.get("recoveryCodes"), totp.isPresent(), problems);
        List<ImportedAccount.Passcode> passcodes = passcodes(node.get("appPasscodes"), problems);
        if (!problems.isEmpty()) {
            throw ProblemException.invalidFields(problems);
        }
        return new ImportedAccount(account, totp, lastStep, codes, passcodes);
    }

    private static void unknownFields(JsonNode node, String prefix, Set<String> known, List<InvalidField> problems) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                problems.add(new InvalidField(prefix + name, "is not a field of this object"));
            }
        });
    }

    private static AccountId accountId(JsonNode node, List<InvalidField> problems) {
        if (node == null || !node.isTextual()) {
            problems.add(new InvalidField("accountId", "must be a string"));
            return null;
        }
        try {
            return AccountId.of(node.textValue());
        } catch (ProblemException e) {
            problems.add(new InvalidField("accountId", "is not a valid account id"));
            return null;
        }
    }

    private static Optional<ImportedAccount.Seed> seed(JsonNode node, List<InvalidField> problems) {
        if (!node.isObject()) {
            problems.add(new InvalidField("totp", "must be an object"));
            return Optional.empty();
        }
        unknownFields(node, "totp.", TOTP_FIELDS, problems);
        Map<String, String> values = new HashMap<>();
        String prefix = "totp.";
        if (node.has("otpauthUri")) {
            if (node.size() != 1) {
                problems.add(new InvalidField("totp", "otpauthUri comes alone"));
                return Optional.empty();
            }
            Optional<Map<String, String>> query =
                    otpauthQuery(node.get("otpauthUri").asText(""));
            if (query.isEmpty()) {
                problems.add(new InvalidField("totp.otpauthUri", "must be an otpauth://totp/ URI"));
                return Optional.empty();
            }
            values.putAll(query.get());
            prefix = "totp.otpauthUri ";
        } else {
            node.fields()
                    .forEachRemaining(
                            field -> values.put(field.getKey(), field.getValue().asText()));
        }
        int problemsBefore = problems.size();
        Optional<byte[]> secret = Optional.ofNullable(values.get("secret")).flatMap(Base32::decode);
        if (secret.isEmpty() || secret.get().length < MIN_SEED_BYTES) {
            problems.add(
                    new InvalidField(prefix + "secret", "must be base32 of at least " + MIN_SEED_BYTES + " bytes"));
        }
        HashAlgorithm algorithm = HashAlgorithm.SHA1;
        try {
            algorithm = HashAlgorithm.valueOf(
                    values.getOrDefault("algorithm", "SHA1").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(new InvalidField(prefix + "algorithm", "must be SHA1, SHA256 or SHA512"));
        }
        int digits = number(values.getOrDefault("digits", "6"));
        if (digits != 6 && digits != 8) {
            problems.add(new InvalidField(prefix + "digits", "must be 6 or 8"));
        }
        int period = number(values.getOrDefault("period", "30"));
        if (period < 15 || period > 120) {
            problems.add(new InvalidField(prefix + "period", "must be between 15 and 120"));
        }
        return problems.size() == problemsBefore
                ? Optional.of(new ImportedAccount.Seed(secret.get(), algorithm, digits, period))
                : Optional.empty();
    }

    private static Optional<Map<String, String>> otpauthQuery(String text) {
        try {
            URI uri = new URI(text);
            if (!"otpauth".equalsIgnoreCase(uri.getScheme())
                    || !"totp".equalsIgnoreCase(uri.getHost())
                    || uri.getRawQuery() == null) {
                return Optional.empty();
            }
            Map<String, String> query = new HashMap<>();
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(
                            URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
            query.keySet().retainAll(TOTP_FIELDS);
            return Optional.of(query);
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long lastStep(JsonNode node, List<InvalidField> problems) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.longValue() < 0) {
            problems.add(new InvalidField("lastStep", "must be a whole number of at least 0"));
            return 0;
        }
        return node.longValue();
    }

    private static List<String> recoveryCodes(JsonNode node, boolean withTotp, List<InvalidField> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_ITEMS) {
            problems.add(new InvalidField("recoveryCodes", "must be an array of at most " + MAX_ITEMS + " codes"));
            return List.of();
        }
        if (!withTotp) {
            problems.add(new InvalidField("recoveryCodes", "need a valid totp on the same line"));
        }
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            Optional<String> code =
                    SecretGenerator.normaliseRecoveryCode(node.get(i).asText(""));
            if (code.isEmpty() || !node.get(i).isTextual()) {
                problems.add(new InvalidField("recoveryCodes[" + i + "]", "is not a recovery code (xxxxx-xxxxx)"));
            } else {
                codes.add(code.get());
            }
        }
        return codes;
    }

    private static List<ImportedAccount.Passcode> passcodes(JsonNode node, List<InvalidField> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_ITEMS) {
            problems.add(new InvalidField("appPasscodes", "must be an array of at most " + MAX_ITEMS + " passcodes"));
            return List.of();
        }
        List<ImportedAccount.Passcode> passcodes = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            passcode(node.get(i), "appPasscodes[" + i + "].", problems).ifPresent(passcodes::add);
        }
        return passcodes;
    }

    private static Optional<ImportedAccount.Passcode> passcode(
            JsonNode node, String prefix, List<InvalidField> problems) {
        if (!node.isObject()) {
            problems.add(new InvalidField(prefix.substring(0, prefix.length() - 1), "must be an object"));
            return Optional.empty();
        }
        int problemsBefore = problems.size();
        unknownFields(node, prefix, PASSCODE_FIELDS, problems);
        String name = node.path("name").asText("");
        if (!node.path("name").isTextual() || name.isBlank() || name.length() > 64) {
            problems.add(new InvalidField(prefix + "name", "must be 1 to 64 characters"));
        }
        Optional<String> plain = Optional.empty();
        Optional<LegacyPasscodeHash> legacy = Optional.empty();
        if (node.has("passcode") == node.has("hash")) {
            problems.add(new InvalidField(prefix + "passcode", "exactly one of passcode and hash is needed"));
        } else if (node.has("passcode")) {
            String normalised = WHITESPACE
                    .matcher(node.get("passcode").asText(""))
                    .replaceAll("")
                    .toLowerCase(Locale.ROOT);
            plain = Optional.of(normalised)
                    .filter(value -> PASSCODE_SHAPE.matcher(value).matches());
            if (plain.isEmpty()) {
                problems.add(new InvalidField(prefix + "passcode", "must be 16 letters (spaces ignored)"));
            }
        } else {
            legacy = LegacyPasscodeHash.parse(node.get("hash").asText(""));
            if (legacy.isEmpty()) {
                problems.add(new InvalidField(
                        prefix + "hash",
                        "must be {SSHA512}, {SHA512-CRYPT}, {BLF-CRYPT} or {ARGON2ID} followed by the hash"));
            }
        }
        PasscodeScope scope = scope(node.get("protocols"), prefix, problems);
        Optional<Instant> createdAt = Optional.empty();
        if (node.hasNonNull("createdAt")) {
            try {
                createdAt = Optional.of(Instant.parse(node.get("createdAt").asText()));
            } catch (DateTimeParseException e) {
                problems.add(new InvalidField(prefix + "createdAt", "must be an RFC 3339 date-time"));
            }
        }
        return problems.size() == problemsBefore
                ? Optional.of(new ImportedAccount.Passcode(name, plain, legacy, scope, createdAt))
                : Optional.empty();
    }

    private static PasscodeScope scope(JsonNode node, String prefix, List<InvalidField> problems) {
        if (node == null || node.isNull()) {
            return PasscodeScope.UNRESTRICTED;
        }
        Set<MailProtocol> protocols = EnumSet.noneOf(MailProtocol.class);
        if (!node.isArray() || node.isEmpty()) {
            problems.add(new InvalidField(prefix + "protocols", "must be a non-empty array of mail protocols"));
            return PasscodeScope.UNRESTRICTED;
        }
        for (JsonNode protocol : node) {
            MailProtocol.ofSlug(protocol.asText())
                    .ifPresentOrElse(
                            protocols::add,
                            () -> problems.add(
                                    new InvalidField(prefix + "protocols", "must list mail protocols only")));
        }
        return new PasscodeScope(Optional.of(protocols), List.of());
    }
}
