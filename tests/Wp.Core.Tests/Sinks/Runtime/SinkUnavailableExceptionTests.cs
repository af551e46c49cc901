using Wp.Core.Sinks.Runtime;

namespace Wp.Core.Tests.Sinks.Runtime;

public sealed class SinkUnavailableExceptionTests
{
    [Fact]
    public void The_retry_after_hint_is_found_through_wrapping_exceptions()
    {
        var backend = new SinkUnavailableException("down") { RetryAfter = TimeSpan.FromMilliseconds(700) };
        var flush = new SinkUnavailableException("flush failed: down", backend);

        SinkUnavailableException.RetryAfterOf(flush).Should().Be(TimeSpan.FromMilliseconds(700));
        SinkUnavailableException.RetryAfterOf(new IOException("wrapped", flush)).Should().Be(TimeSpan.FromMilliseconds(700));
    }

    [Fact]
    public void Without_a_hint_there_is_none()
    {
        SinkUnavailableException.RetryAfterOf(new SinkUnavailableException("down")).Should().BeNull();
        SinkUnavailableException.RetryAfterOf(new IOException("disk")).Should().BeNull();
        SinkUnavailableException.RetryAfterOf(null).Should().BeNull();
    }
}
