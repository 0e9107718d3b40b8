/** Everything stored about one account as a whole: its erasure. */
package dev.twofold.accountdata;
