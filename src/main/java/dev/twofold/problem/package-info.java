/**
 * RFC 9457 problem details and the HTTP edge rules that produce them: the domain failures Twofold
 * reports and their mapping, content negotiation, strict reading of bodies, and the methods each path serves.
 */
package dev.twofold.problem;
