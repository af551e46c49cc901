using Serilog.Events;
using Wp.Core.Config;
using Wp.Core.Hosting;

namespace Wp.Core.Tests.Hosting;

public sealed class LogLevelSpecTests
{
    [Fact]
    public void A_level_string_has_a_root_level_and_target_overrides()
    {
        var spec = LogLevelSpec.Parse("warn,ctrl=info, recover=debug", "wparse.toml");

        spec.Root.Should().Be(LogEventLevel.Warning);
        spec.Targets.Should().BeEquivalentTo(new Dictionary<string, LogEventLevel>
        {
            ["ctrl"] = LogEventLevel.Information,
            ["recover"] = LogEventLevel.Debug,
        });
    }

    [Fact]
    public void An_unknown_level_is_a_config_error_naming_the_file()
    {
        var act = () => LogLevelSpec.Parse("warn,recover=loud", "conf/wparse.toml");

        act.Should().Throw<ConfigException>().Which.Message.Should().Contain("conf/wparse.toml").And.Contain("loud");
    }
}
