package io.pushwire.link;

/**
 * What the console hears on the control response stream ({@link ControlResponseAdapter}).
 */
public interface ControlResponseListener
{
    void onOk(long correlationId, int gatewayId);

    void onError(long correlationId, int gatewayId, int code, String text);
}
