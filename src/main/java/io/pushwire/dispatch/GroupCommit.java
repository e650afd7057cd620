package io.pushwire.dispatch;

import io.pushwire.store.Store;
import io.pushwire.store.StoreRecords;
import io.pushwire.store.StoredMessage;

import java.util.Arrays;

/**
 * With {@code sync=every}, the pushes of one command poll are appended, then made durable by one msync
 * ({@link Store#endBatch()}), and only then delivered and answered {@code accepted}: this holds what
 * waits for that msync. Deliveries are replayed from the store (their payloads are no longer in the Aeron
 * buffer by then), in order. Arrays grow with the largest batch and are reused. Not thread-safe: the
 * dispatch agent owns it.
 */
final class GroupCommit
{
    private final Deliverer deliverer;
    private final StoredMessage stored;
    private long[] storeIndexes = new long[256];
    private int[] streamKinds = new int[256];
    private int deliveries;
    private long[] clientIds = new long[64];
    private long[] correlationIds = new long[64];
    private long[] messageIds = new long[64];
    private int[] targets = new int[64];
    private int responses;

    GroupCommit(final Deliverer deliverer, final int maxPayload)
    {
        this.deliverer = deliverer;
        this.stored = new StoredMessage(maxPayload);
    }

    boolean isEmpty()
    {
        return deliveries == 0 && responses == 0;
    }

    void delivery(final int streamKind, final long storeIndex)
    {
        if (deliveries == storeIndexes.length)
        {
            storeIndexes = Arrays.copyOf(storeIndexes, deliveries * 2);
            streamKinds = Arrays.copyOf(streamKinds, deliveries * 2);
        }
        storeIndexes[deliveries] = storeIndex;
        streamKinds[deliveries++] = streamKind;
    }

    void accepted(final long clientId, final long correlationId, final long messageId, final int targetCount)
    {
        if (responses == clientIds.length)
        {
            clientIds = Arrays.copyOf(clientIds, responses * 2);
            correlationIds = Arrays.copyOf(correlationIds, responses * 2);
            messageIds = Arrays.copyOf(messageIds, responses * 2);
            targets = Arrays.copyOf(targets, responses * 2);
        }
        clientIds[responses] = clientId;
        correlationIds[responses] = correlationId;
        messageIds[responses] = messageId;
        targets[responses++] = targetCount;
    }

    /**
     * Delivers and answers everything held; call after {@link Store#endBatch()}.
     *
     * @return work done.
     */
    int flush(final Store store, final CommandHandler handler)
    {
        final int work = deliveries + responses;
        for (int i = 0; i < deliveries; i++)
        {
            if (store.readMessage(storeIndexes[i], stored))
            {
                if (streamKinds[i] == StoreRecords.TOPIC_STREAM)
                {
                    deliverer.onTopicMessage(stored.streamRef(), stored.seq(), stored.priority(), stored.messageId(),
                        stored.appId(), stored.payload(), 0, stored.payloadLength());
                }
                else
                {
                    deliverer.onDeviceMessage((int)stored.streamRef(), stored.seq(), stored.priority(), stored.messageId(),
                        stored.appId(), stored.payload(), 0, stored.payloadLength());
                }
            }
        }
        for (int i = 0; i < responses; i++)
        {
            handler.sendAccepted(clientIds[i], correlationIds[i], messageIds[i], targets[i]);
        }
        deliveries = 0;
        responses = 0;
        return work;
    }
}
