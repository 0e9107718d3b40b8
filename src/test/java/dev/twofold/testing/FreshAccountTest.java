package dev.twofold.testing;

import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;

/**
 * The fixture of a {@code @QuarkusTest} about one account: a fresh account per test, and the test
 * clock, back to real time after each test.
 */
public abstract class FreshAccountTest {

    @Inject
    protected TestClock clock;

    protected final String account = Accounts.fresh();

    @AfterEach
    void realTime() {
        clock.reset();
    }
}
