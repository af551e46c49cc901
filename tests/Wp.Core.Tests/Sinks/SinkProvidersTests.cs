using Wp.Core.Config;
using Wp.Core.Records;
using Wp.Core.Sinks;
using Wp.Core.Sinks.ClickHouse;
using Wp.Core.Sinks.Database;
using Wp.Core.Sinks.MySql;
using Wp.Core.Sinks.Postgres;
using Wp.Core.Tests.Config;
using Wp.Core.Tests.Support;
using Record = Wp.Core.Records.Record;

namespace Wp.Core.Tests.Sinks;

public sealed class SinkProvidersTests
{
    private const string Group = "sink/business.d/benchmark.toml";

    [Fact]
    public void The_registry_lists_each_provider_once_and_every_connector_is_built_in()
    {
        SinkProviders.Types.Should().OnlyHaveUniqueItems().And.Contain(["file", "test_rescue", "blackhole", "postgres", "mysql", "clickhouse"]);
        foreach (var connector in SinkProviders.Connectors)
        {
            BuiltInConnectors.All[connector.Id].Should().BeSameAs(connector);
            SinkProviders.Find(connector.Type).Should().NotBeNull();
        }

        BuiltInConnectors.All.Keys.Should().Contain(["postgres_sink", "mysql_sink", "clickhouse_sink"]);
    }

    private static TempWorkRoot WithSink(string connect, string parameters, string? connectorFile = null)
    {
        var root = TempWorkRoot.Create().WithMinimalProject().Write(Group, $"""
            [sink_group]
            name = "g"
            rule = ["/a"]
            [[sink_group.sinks]]
            name = "db"
            connect = "{connect}"
            [sink_group.sinks.params]
            {parameters}
            """);
        return connectorFile is null ? root : root.Write("connectors/sink.d/db.toml", connectorFile);
    }

    [Fact]
    public void Postgres_params_are_read_once_into_typed_options()
    {
        using var root = WithSink("postgres_sink", """
            endpoint = "127.0.0.1:6543"
            database = "logs"
            table = "nginx"
            username = "wp"
            password = "pw-123"
            columns = ["sip", "ts"]
            create_table = true
            """);

        var sink = ProjectLoader.Load(root.WorkRoot).BusinessGroups.Single().Sinks.Single();

        var settings = sink.Settings.Should().BeOfType<PostgresSinkSettings>().Subject;
        settings.Options.Should().BeEquivalentTo(new DatabaseSinkOptions
        {
            Endpoint = "127.0.0.1:6543",
            Database = "logs",
            Table = "nginx",
            Username = "wp",
            Password = "pw-123",
            Columns = ["sip", "ts"],
            CreateTable = true,
        });
        settings.Options.HostPort(5432).Should().Be(("127.0.0.1", 6543));
        sink.Target.Should().Be("postgres 127.0.0.1:6543/logs.nginx").And.NotContain("pw-123");
        settings.Options.ToString().Should().NotContain("pw-123");
        settings.IsRemote.Should().BeTrue();
        sink.OutputPath.Should().BeNull();
    }

    public static TheoryData<string, string, int, string> BadParams => new()
    {
        { "postgres_sink", "database = \"logs\"", 1, "sink 'db' needs param 'table'" },
        { "postgres_sink", "database = \"logs\"\ntable = \"a-b\"", 9, "param 'table' of sink 'db' must match [A-Za-z_][A-Za-z0-9_]*" },
        { "mysql_sink", "database = \"logs\"\ntable = \"t\"\ncreate_table = \"yes\"", 10, "param 'create_table' of sink 'db' must be true or false" },
        { "mysql_sink", "database = \"logs\"\ntable = \"t\"\ncolumns = [\"a\", \"a\"]", 10, "column 'a' of sink 'db' is listed twice" },
        { "clickhouse_sink", "database = \"logs\"\ntable = \"t\"\nendpoint = \"127.0.0.1:8123\"", 10, "must be an http:// or https:// address" },
        { "postgres_sink", "database = \"logs\"\ntable = \"t\"\ntimeout_ms = 0", 10, "param 'timeout_ms' of sink 'db' must be an integer in 1..3600000" },
        { "postgres_sink", "database = \"logs\"\ntable = \"t\"\npassword = \"${WP_TEST_SURELY_UNSET_PW}\"", 10, "environment variable 'WP_TEST_SURELY_UNSET_PW' is not set" },
    };

    [Theory]
    [MemberData(nameof(BadParams))]
    public void A_bad_param_is_a_problem_at_its_file_and_line(string connect, string parameters, int line, string message)
    {
        using var root = WithSink(connect, parameters);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf(Group));
        problem.Line.Should().Be(line == 1 ? problem.Line : line);
        problem.Message.Should().Contain(message);
    }

    [Fact]
    public void A_connector_file_may_define_a_database_connector_and_its_typos_are_reported_there()
    {
        using var root = WithSink("pg_logs", "table = \"nginx\"", """
            [[connectors]]
            id = "pg_logs"
            type = "postgres"
            allow_override = ["table"]
            [connectors.params]
            endpoint = "10.0.0.5:5432"
            database = "logs"
            pasword = "x"
            """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.File.Should().Be(root.PathOf("connectors/sink.d/db.toml"));
        problem.Line.Should().Be(1);
        problem.Message.Should().Contain("unknown param 'pasword' of sink 'db'");
    }

    [Fact]
    public void A_param_the_connector_does_not_allow_is_refused_at_its_line()
    {
        using var root = WithSink("pg_logs", "database = \"other\"", """
            [[connectors]]
            id = "pg_logs"
            type = "postgres"
            allow_override = ["table"]
            [connectors.params]
            database = "logs"
            table = "t"
            """);

        var problem = root.LoadProblems().Should().ContainSingle().Subject;

        problem.Line.Should().Be(8);
        problem.Message.Should().Contain("param 'database' of sink 'db' may not be overridden: connector 'pg_logs' allows table");
    }

    [Theory]
    [InlineData("Int", "Int", "bigint", "BIGINT", "Nullable(Int64)")]
    [InlineData("Float", "Float", "double precision", "DOUBLE", "Nullable(Float64)")]
    [InlineData("Bool", "Bool", "boolean", "BOOLEAN", "Nullable(UInt8)")]
    [InlineData("DateTime", "Time", "timestamptz", "DATETIME(6)", "Nullable(DateTime('UTC'))")]
    [InlineData("Ip", "Ip", "inet", "INET6", "Nullable(String)")]
    [InlineData("String", "Text", "text", "TEXT", "Nullable(String)")]
    public void Record_kinds_map_to_column_types(string valueKind, string columnKind, string postgres, string mysql, string clickhouse)
    {
        var value = Enum.Parse<ValueKind>(valueKind);
        var column = Enum.Parse<ColumnKind>(columnKind);
        ColumnValues.KindOf(value).Should().Be(column);
        PostgresSinkBackend.CreateType(column).Should().Be(postgres);
        MySqlSinkBackend.CreateType(column).Should().Be(mysql);
        ClickHouseSinkBackend.CreateType(column).Should().Be(clickhouse);
        ClickHouseSinkBackend.KindOf(clickhouse).Should().Be(column == ColumnKind.Ip || column == ColumnKind.Bool ? (column == ColumnKind.Bool ? ColumnKind.Int : ColumnKind.Text) : column);
    }

    [Fact]
    public void Values_convert_to_their_column_or_are_refused_with_a_reason_and_missing_fields_are_null()
    {
        var record = new Record();
        record.Add("n", Value.Int(7));
        record.Add("s", Value.String("42"));
        record.Add("word", Value.String("abc"));
        record.Add("t", Value.DateTime(new DateTime(2019, 8, 6, 12, 12, 19), TimeSpan.FromHours(8)));
        record.Add("ip", Value.Ip("10.0.0.1"));

        ColumnValues.TryInt(At(record, "n"), out var n).Should().BeTrue();
        n.Should().Be(7L);
        ColumnValues.TryFloat(At(record, "n"), out var f).Should().BeTrue();
        f.Should().Be(7.0);
        ColumnValues.TryInt(At(record, "s"), out var parsed).Should().BeTrue();
        parsed.Should().Be(42L);
        ColumnValues.TryTime(At(record, "t"), out var t).Should().BeTrue();
        t.Should().Be(new DateTime(2019, 8, 6, 4, 12, 19, DateTimeKind.Utc));
        ColumnValues.TryIp(At(record, "ip"), out var ip).Should().BeTrue();
        ip.Should().Be(System.Net.IPAddress.Parse("10.0.0.1"));
        ColumnValues.TryAt(record, record.IndexOf("absent"), out _).Should().BeFalse("a missing field is SQL NULL");
        ColumnValues.TryInt(At(record, "word"), out _).Should().BeFalse();
        ColumnValues.CannotTake("word", "Int", At(record, "word")).Should().Be("column 'word' (int) cannot take a string value");
        ColumnValues.TryTime(At(record, "word"), out _).Should().BeFalse();
    }

    [Fact]
    public void Create_table_columns_come_from_the_first_record_or_the_columns_list()
    {
        var a = new Record();
        a.Add("sip", Value.Ip("10.0.0.1"));
        a.Add("n", Value.Int(1));
        a.Add("_skip", Value.Int(1));
        var b = new Record();
        b.Add("late", Value.Float(1.5));

        ColumnValues.Infer(null, [a, b]).Should().Equal(new TableColumn("sip", ColumnKind.Ip), new TableColumn("n", ColumnKind.Int));
        ColumnValues.Infer(["late", "none"], [a, b]).Should().Equal(new TableColumn("late", ColumnKind.Float), new TableColumn("none", ColumnKind.Text));
    }

    [Theory]
    [InlineData(1024, new int[0], 1)]
    [InlineData(8, new[] { 3 }, 7)]
    [InlineData(8, new[] { 0, 7 }, 11)]
    [InlineData(1, new[] { 0 }, 1)]
    public async Task Bisection_isolates_exactly_the_refused_rows(int count, int[] bad, int expectedAttempts)
    {
        var written = new List<int>();
        var rejected = new List<int>();
        var attempts = 0;

        await RejectIsolation.RunAsync(
            count,
            (start, length) =>
            {
                attempts++;
                var range = Enumerable.Range(start, length).ToList();
                if (range.Any(bad.Contains))
                {
                    return Task.FromResult<string?>("refused");
                }

                written.AddRange(range);
                return Task.FromResult<string?>(null);
            },
            (index, message) => rejected.Add(index));

        rejected.Should().Equal(bad);
        written.Should().Equal(Enumerable.Range(0, count).Except(bad));
        attempts.Should().Be(expectedAttempts);
    }

    private static Value At(Record record, string name)
    {
        ColumnValues.TryAt(record, record.IndexOf(name), out var value).Should().BeTrue(name);
        return value;
    }
}
