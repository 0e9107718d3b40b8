/**
 * Security events: the audit trail users and helpdesks read, the webhooks that carry it, and the event
 * writer other packages record through (in their transaction, or in their own statement on a hot path).
 */
package dev.twofold.audit;
