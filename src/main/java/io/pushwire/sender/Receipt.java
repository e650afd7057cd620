package io.pushwire.sender;

/**
 * Delivery state of one message id: how many devices it targets, how many acked it (delivered), how many
 * it expired for (TTL passed, collapsed by a newer message, or trimmed by topic retention), and how many
 * are still pending. For a topic or broadcast push, targets is the number of subscribed (known) devices
 * when it was accepted.
 */
public record Receipt(long messageId, int targets, int delivered, int pending, int expired)
{
}
