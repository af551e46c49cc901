using System.Globalization;
using System.Text;
using Wp.Cli.Tests.Support;

namespace Wp.Cli.Tests.Databases;

/// <summary>
/// A copy of the sink_recovery usecase whose <c>example</c> group (the nginx rule) writes to one
/// database sink, fed with generated nginx lines whose byte count is the line number — a unique
/// column, so duplicates are visible.
/// </summary>
internal sealed class DbCase : IDisposable
{
    public DbCase(string sinkName, string connect, string parameters, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        Work = new UsecaseCopy(test: test);
        SinkName = sinkName;
        Work.Write("sink/business.d/example.toml", $"""
            version = "2.0"

            [sink_group]
            name = "example"
            oml  = ["example"]

            [[sink_group.sinks]]
            name    = "{sinkName}"
            connect = "{connect}"
            [sink_group.sinks.params]
            {parameters}
            """);
    }

    public UsecaseCopy Work { get; }

    public string Root => Work.Root;

    public string SinkName { get; }

    /// <summary>One nginx access line; its byte count (column <c>digit</c>) is <paramref name="i"/>.</summary>
    public static string Line(int i) =>
        $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255} - - [06/Aug/2019:12:12:19 +0800] \"GET /item/{i} HTTP/1.1\" 200 {i} \"http://example.com/\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0\" \"-\"";

    /// <summary>Writes lines [1, n] as the file source's input.</summary>
    public void WriteInput(int n, Func<int, string>? line = null)
    {
        var text = new StringBuilder();
        for (var i = 1; i <= n; i++)
        {
            text.Append((line ?? Line)(i)).Append('\n');
        }

        Work.Write("data/in_dat/gen.dat", text.ToString());
    }

    public void SetSpeedLimit(int linesPerSecond) =>
        Work.Edit("conf/wparse.toml", "speed_limit   = 1000", $"speed_limit   = {linesPerSecond.ToString(CultureInfo.InvariantCulture)}");

    public string[] RescueFiles() => Work.RescueFiles(SinkName);

    /// <summary>Entries (lines) in the sink's sealed rescue files.</summary>
    public int RescuedRecords() => RescueFiles().Sum(f => File.ReadAllLines(f).Count(l => l.Length > 0));

    /// <summary>A tool's log so far (empty when there is none), read without disturbing a running writer.</summary>
    public string Log(string tool) => Work.PathOf($"logs/{tool}.log").ReadShared();

    /// <summary>Environment for the tools (e.g. a variable a <c>${VAR}</c> param names).</summary>
    public Dictionary<string, string> Env { get; } = [];

    public Task<ToolResult> Wparse(params string[] args) => ToolProcess.RunAsync("wparse", Root, ["batch", .. args], TimeSpan.FromMinutes(3), Env);

    public Task<ToolResult> Wprescue(params string[] args) => ToolProcess.RunAsync("wprescue", Root, ["batch", .. args], TimeSpan.FromMinutes(3), Env);

    public void Dispose() => Work.Dispose();
}
