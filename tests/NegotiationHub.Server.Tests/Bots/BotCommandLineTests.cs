using NegotiationHub.Bots.Cli;

namespace NegotiationHub.Server.Tests.Bots;

/// <summary>The bots' command line: durations read as documented, and a bad one is a parse error naming its option (exit 1), not a crash.</summary>
public sealed class BotCommandLineTests
{
    [Theory]
    [InlineData("1s", 1000)]
    [InlineData("250ms", 250)]
    [InlineData("1.5s", 1500)]
    [InlineData("2", 2000)]
    [InlineData(" 0 ", 0)]
    [InlineData("86400s", 86_400_000)]
    public void Durations_read_as_seconds_or_milliseconds(string text, double milliseconds)
    {
        Assert.True(BotCommands.TryParseDuration(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1s")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e300")] // would overflow a TimeSpan
    [InlineData("86401s")]
    [InlineData("")]
    public void Anything_else_is_not_a_duration(string text)
    {
        Assert.False(BotCommands.TryParseDuration(text, out _));
        Assert.Throws<FormatException>(() => BotCommands.ParseDuration(text));
    }

    [Theory]
    [InlineData("--jit-quiet")]
    [InlineData("--ramp")]
    [InlineData("--bid-interval")]
    public void A_bad_duration_is_a_parse_error_that_names_its_option(string option)
    {
        var parse = BotCommands.Parse(["load", "--server", "http://127.0.0.1:1", option, "1e300"]);

        var error = Assert.Single(parse.Errors);
        Assert.StartsWith($"{option}: '1e300' is not a duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Durations_left_out_take_their_defaults()
    {
        var parse = BotCommands.Parse(["load", "--server", "http://127.0.0.1:1", "--ramp", "0"]);

        Assert.Empty(parse.Errors);
        Assert.Equal(TimeSpan.Zero, parse.GetValue<TimeSpan>("--ramp"));
        Assert.Equal(TimeSpan.FromSeconds(1), parse.GetValue<TimeSpan>("--jit-quiet"));
        Assert.Equal(TimeSpan.FromSeconds(1), parse.GetValue<TimeSpan>("--bid-interval"));
    }
}
