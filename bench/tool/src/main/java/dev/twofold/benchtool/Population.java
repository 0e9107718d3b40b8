package dev.twofold.benchtool;

import java.security.SecureRandom;

/** Names and random values of the benchmark population (all under the reserved .test TLD). */
final class Population {

    static final String DOMAIN = "bench.test";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    private Population() {
    }

    /** 16 lowercase letters, the service's passcode format (so already normalised). */
    static String randomPasscode() {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
        }
        return sb.toString();
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    static String account(String kind, int index) {
        return kind + index + "@" + DOMAIN;
    }

    /** A client address for request bodies only (data: nothing is ever sent to it). */
    static String clientIp(int index) {
        return "10." + ((index >> 16) & 0xff) + "." + ((index >> 8) & 0xff) + "." + (index & 0xff);
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(2 + bytes.length * 2).append("\\x");
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
