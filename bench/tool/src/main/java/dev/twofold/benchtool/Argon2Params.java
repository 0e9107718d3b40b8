package dev.twofold.benchtool;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

/** Argon2id at the service's configured cost ({@code m,t,p} as in {@code twofold.argon2.*}). */
record Argon2Params(int memoryKib, int iterations, int parallelism) {

    static Argon2Params parse(String mtp) {
        String[] parts = mtp.split(",");
        return new Argon2Params(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                Integer.parseInt(parts[2].trim()));
    }

    /** The same factory call as the service's Argon2Hasher (the no-arg one would give Argon2i). */
    static Argon2 argon2() {
        return Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id);
    }

    String hash(Argon2 argon2, String secret) {
        return argon2.hash(iterations, memoryKib, parallelism, secret.toCharArray());
    }

    String label() {
        return "m=" + memoryKib + "KiB,t=" + iterations + ",p=" + parallelism;
    }

    String fileTag() {
        return memoryKib + "-" + iterations + "-" + parallelism;
    }
}
