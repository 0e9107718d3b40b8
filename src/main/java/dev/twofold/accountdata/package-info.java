/** Everything stored about one account as a whole: its export and its erasure. */
package dev.twofold.accountdata;
