package io.pushwire.box;

import io.pushwire.config.Setting;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushwireTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(final String... args)
    {
        return Pushwire.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldGiveEveryCommandUniqueOptionNamesAndHelp()
    {
        for (final Command command : Pushwire.commands())
        {
            final Set<String> names = new HashSet<>();
            for (final Setting setting : command.settings())
            {
                assertTrue(names.add(setting.optionName()), command.name() + " has two settings named --" + setting.optionName());
            }
            out.reset();
            assertEquals(0, run(command.name(), "--help"));
            final String help = out.toString(StandardCharsets.UTF_8);
            assertTrue(help.startsWith("usage: pushwire " + command.name()), help);
            for (final Setting setting : command.settings())
            {
                assertTrue(help.contains("--" + setting.optionName()) && help.contains(setting.propertyName()), help);
            }
        }
    }

    @Test
    void shouldRejectUnknownCommandsAndOptionsWithUsageErrors()
    {
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
        err.reset();
        assertEquals(2, run("box", "--no-such-option", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --no-such-option"));
        assertEquals(2, run());
        assertEquals(0, run("--help"));
    }

    @Test
    void shouldSizeGatewayCountFromConnectionsAndCores()
    {
        try
        {
            System.setProperty(BoxCommand.CONNECTIONS.propertyName(), "1000000");
            System.setProperty(BoxCommand.PER_GATEWAY.propertyName(), "19000");
            assertEquals(53, BoxCommand.gatewayCount());
            System.setProperty(BoxCommand.CONNECTIONS.propertyName(), "10");
            assertEquals(Runtime.getRuntime().availableProcessors(), BoxCommand.gatewayCount());
            System.setProperty(BoxCommand.GATEWAYS.propertyName(), "3");
            assertEquals(3, BoxCommand.gatewayCount());
            final int cores = Runtime.getRuntime().availableProcessors();
            assertEquals("-Dpushwire.gateway.reactors=" + Math.max(1, cores / 53), BoxCommand.reactorsPerGateway(53));
            assertEquals("-Dpushwire.gateway.reactors=" + Math.max(1, cores), BoxCommand.reactorsPerGateway(1));
        }
        finally
        {
            System.clearProperty(BoxCommand.CONNECTIONS.propertyName());
            System.clearProperty(BoxCommand.PER_GATEWAY.propertyName());
            System.clearProperty(BoxCommand.GATEWAYS.propertyName());
        }
    }
}
