package io.pushwire.link;

/**
 * What a gateway hears on the control stream ({@link ControlAdapter}).
 */
public interface ControlListener
{
    /**
     * @param clientId      the console's client id (for the answer).
     * @param correlationId the command's correlation id (for the answer).
     * @param gatewayId     the gateway addressed; others ignore it.
     * @param ratePerSec    connections a second to move off.
     */
    void onDrain(long clientId, long correlationId, int gatewayId, int ratePerSec);

    /**
     * A message that could not be understood but carried a header to answer.
     *
     * @param code a {@link ControlMessages} error code.
     * @param text what was wrong.
     */
    void onBadControl(long clientId, long correlationId, int code, String text);
}
