using System.Net;
using Wp.Core.Config;
using Wp.Core.Sources.Files;
using Wp.Core.Sources.Nats;
using Wp.Core.Sources.Net;
using Wp.Core.Sources.Syslog;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Config;

public sealed class SourceProviderConfigTests
{
    [Fact]
    public void A_syslog_source_reads_typed_params_with_their_defaults()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wpsrc.toml", """
                [[sources]]
                key = "syslog_in"
                connect = "syslog_tcp_src"
                params = { addr = "127.0.0.1", port = 5514, header_mode = "strip" }

                [[sources]]
                key = "udp_in"
                connect = "syslog_udp_src"

                [[sources]]
                key = "file_1"
                connect = "file_src"
                """);

        var sources = ProjectLoader.Load(root.WorkRoot).Sources;

        var tcp = sources[0].Settings.Should().BeOfType<NetSourceSettings>().Subject;
        tcp.Should().Be(new NetSourceSettings("tcp", IPAddress.Loopback, 5514, 1024 * 1024, 3, HeaderMode.Strip, Framing.Auto));
        sources[0].Path.Should().BeNull();
        var udp = sources[1].Settings.Should().BeOfType<NetSourceSettings>().Subject;
        udp.Should().Be(new NetSourceSettings("udp", IPAddress.Any, 1514, 1024 * 1024, 3, HeaderMode.Parse, Framing.Auto));
        sources[2].Settings.Should().Be(new FileSourceSettings(root.PathOf("data/in_dat/gen.dat")));
    }

    [Theory]
    [InlineData("params = { port = 70000 }", "port must be between 1 and 65535")]
    [InlineData("params = { addr = \"localhost\" }", "must be an IP address")]
    [InlineData("params = { header_mode = \"drop\" }", "header_mode must be one of parse | strip | keep")]
    [InlineData("params = { idle_exit_sec = 0 }", "idle_exit_sec must be between 1 and 86400")]
    [InlineData("params = { prot = 1 }", "param 'prot' of source 'in' is not known to connector 'syslog_tcp_src'")]
    [InlineData("params = { framing = \"lines\" }", "framing must be one of auto | newline | octet_counting")]
    public void A_bad_network_param_is_a_problem_at_its_line(string paramsLine, string message)
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wpsrc.toml", $"""
                [[sources]]
                key = "in"
                connect = "syslog_tcp_src"
                {paramsLine}
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("conf/wpsrc.toml"));
        problem.Line.Should().Be(4);
        problem.Message.Should().Contain(message);
    }

    [Fact]
    public void Udp_takes_no_framing_and_tcp_src_no_header_mode()
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wpsrc.toml", """
                [[sources]]
                key = "u"
                connect = "syslog_udp_src"
                params = { framing = "newline" }

                [[sources]]
                key = "t"
                connect = "tcp_src"
                params = { header_mode = "parse" }
                """);

        var problems = root.LoadProblems();

        problems.Should().HaveCount(2);
        problems.Should().Contain(p => p.Line == 4 && p.Message.Contains("'framing'"));
        problems.Should().Contain(p => p.Line == 9 && p.Message.Contains("'header_mode'"));
    }

    [Fact]
    public void A_nats_source_reads_its_params_and_expands_environment_variables()
    {
        Environment.SetEnvironmentVariable("WP_TEST_NATS_URL", "nats://127.0.0.1:4333");
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wpsrc.toml", """
                [[sources]]
                key = "bus"
                connect = "nats_src"
                params = { url = "${WP_TEST_NATS_URL}", durable = "w1", ack_wait_sec = 5 }
                """);

        var settings = ProjectLoader.Load(root.WorkRoot).Sources.Single().Settings;

        settings.Should().Be(new NatsSourceSettings("nats://127.0.0.1:4333", "LOGS", "logs.>", "w1", 5, 1000, 20_000, 3));
    }

    [Theory]
    [InlineData("params = { url = \"http://x\" }", "must start with nats://")]
    [InlineData("params = { durable = \"a.b\" }", "durable must not contain")]
    [InlineData("params = { ack_wait_sec = 0 }", "ack_wait_sec must be between 1 and 86400")]
    [InlineData("params = { url = \"${WP_TEST_UNSET_VARIABLE}\" }", "environment variable 'WP_TEST_UNSET_VARIABLE' is not set")]
    public void A_bad_nats_param_is_a_problem_at_its_line(string paramsLine, string message)
    {
        using var root = TempWorkRoot.Create().WithMinimalProject()
            .Write("conf/wpsrc.toml", $"""
                [[sources]]
                key = "bus"
                connect = "nats_src"
                {paramsLine}
                """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.Line.Should().Be(4);
        problem.Message.Should().Contain(message);
    }
}
