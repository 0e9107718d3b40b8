/** RFC 9457 problem details: the domain failures Twofold reports and their mapping at the HTTP edge. */
package dev.twofold.problem;
