package io.pushwire.config;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest
{
    private static final Setting PORT = Setting.of("pushwire.test.port", "7000", "port");
    private static final Setting TIMEOUT = Setting.of("pushwire.test.timeout", "10s", "timeout");
    private static final Setting BUFFER = Setting.of("pushwire.test.buffer", "64k", "buffer");

    @AfterEach
    void clear()
    {
        System.clearProperty(PORT.propertyName());
        System.clearProperty(TIMEOUT.propertyName());
        System.clearProperty(BUFFER.propertyName());
    }

    @Test
    void shouldReadDefaultsWithUnits()
    {
        assertEquals(7000, PORT.getInt());
        assertEquals(TimeUnit.SECONDS.toNanos(10), TIMEOUT.getDurationNs(TimeUnit.MILLISECONDS));
        assertEquals(65536, BUFFER.getSizeBytes());
    }

    @Test
    void shouldApplyOptionsOverFileAndReturnPositionals(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("p.properties");
        Files.writeString(file, "pushwire.test.port=7100\npushwire.test.timeout=250ms\n");

        final List<String> positional = Settings.apply(
            new String[]{ "device-1", "--config", file.toString(), "--port=7200" }, List.of(PORT, TIMEOUT, BUFFER));

        assertEquals(List.of("device-1"), positional);
        assertEquals(7200, PORT.getInt());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(250), TIMEOUT.getDurationNs(TimeUnit.SECONDS));
    }

    @Test
    void shouldParseIdleStrategies()
    {
        assertInstanceOf(BusySpinIdleStrategy.class, Setting.idleStrategy("x", "busy-spin"));
        assertInstanceOf(YieldingIdleStrategy.class, Setting.idleStrategy("x", "yielding"));
        final IdleStrategy sleeping = Setting.idleStrategy("x", "sleeping:50us");
        assertInstanceOf(SleepingIdleStrategy.class, sleeping);
        assertTrue(sleeping.toString().contains("sleepPeriodNs=50000"), sleeping.toString());
        final IdleStrategy backoff = Setting.idleStrategy("x", " Backoff:10,20,1us,1ms ");
        assertInstanceOf(BackoffIdleStrategy.class, backoff);
        assertTrue(backoff.toString().contains("maxSpins=10") && backoff.toString().contains("maxYields=20") &&
            backoff.toString().contains("minParkPeriodNs=1000") && backoff.toString().contains("maxParkPeriodNs=1000000"),
            backoff.toString());
        for (final String bad : new String[]{ "spin", "busy-spin:1", "sleeping", "backoff:1,2,3", "backoff:a,2,1us,1ms",
            "backoff:1,2,1ms,1us", "backoff:1,2,0us,1us", "sleeping:soon" })
        {
            assertThrows(ConfigurationException.class, () -> Setting.idleStrategy("x", bad), bad);
        }
    }

    @Test
    void shouldRejectUnknownOptionAndBadValues()
    {
        assertThrows(ConfigurationException.class, () -> Settings.apply(new String[]{ "--nope", "1" }, List.of(PORT)));
        assertThrows(ConfigurationException.class, () -> Settings.apply(new String[]{ "--port" }, List.of(PORT)));
        System.setProperty(PORT.propertyName(), "seven");
        assertThrows(ConfigurationException.class, PORT::getInt);
        System.setProperty(TIMEOUT.propertyName(), "5 fortnights");
        assertThrows(ConfigurationException.class, () -> TIMEOUT.getDurationNs(TimeUnit.SECONDS));
    }
}
