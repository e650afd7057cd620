package io.pushwire.client;

/**
 * The result of a successful {@link DeviceClient#subscribe(String, boolean)} or {@link DeviceClient#unsubscribe(String)}:
 * the SUB_ACK. Immutable.
 *
 * @param topic    the topic name.
 * @param streamId the topic's stream id (messages of the topic arrive on it).
 * @param headSeq  the stream's newest seq when the subscription took effect.
 */
public record Subscription(String topic, long streamId, long headSeq)
{
}
