package io.pushwire.sender;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.pushwire.link.LinkConfiguration;
import io.pushwire.test.Await;
import io.pushwire.test.EmbeddedDriver;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The sender client against a real media driver with a command stream that something reads but nobody
 * answers (a dispatch that hangs): a request times out, and the client forgets it.
 */
class PushClientTest
{
    @Test
    void shouldForgetARequestThatTimedOut()
    {
        try (EmbeddedDriver driver = new EmbeddedDriver();
            Aeron aeron = driver.connect();
            Subscription silentDispatch = aeron.addSubscription(EmbeddedDriver.ipcChannel(), LinkConfiguration.COMMAND_STREAM_ID);
            PushClient client = PushClient.connect(aeron, EmbeddedDriver.ipcChannel()))
        {
            Await.until("the command stream is connected", 10_000, silentDispatch::isConnected);
            for (int i = 0; i < 3; i++)
            {
                final PushException timeout = assertThrows(PushException.class,
                    () -> client.push(PushRequest.toDevice("phone").payload(new byte[]{ 1 }), Duration.ofMillis(200)));
                assertEquals(PushException.TIMEOUT, timeout.code(), timeout.getMessage());
            }
            assertEquals(0, client.requestsAwaitingAnswer(), "timed-out requests are not kept");
        }
    }
}
