/** Security events: the audit trail users and helpdesks read, and the webhooks that carry it. */
package dev.twofold.audit;
