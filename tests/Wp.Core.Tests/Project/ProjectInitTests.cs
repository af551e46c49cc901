using Wp.Core.Config;
using Wp.Core.Project;
using Wp.Core.Tests.Support;

namespace Wp.Core.Tests.Project;

public sealed class ProjectInitTests
{
    private static readonly string[] ConfigFiles =
    [
        "conf/wparse.toml", "conf/wpsrc.toml", "conf/wpgen.toml",
        "sink/defaults.toml",
        "sink/infra.d/default.toml", "sink/infra.d/miss.toml", "sink/infra.d/residue.toml",
        "sink/infra.d/intercept.toml", "sink/infra.d/error.toml", "sink/infra.d/monitor.toml",
        "sink/business.d/example.toml",
        "models/wpl/example/parse.wpl", "models/wpl/example/sample.dat", "models/oml/example.oml",
    ];

    private static readonly string[] DataFolders = ["data/in_dat", "data/out_dat", "data/rescue", "logs"];

    private static string Init(TempWorkRoot root, InitMode mode)
    {
        var output = new StringWriter();
        ProjectInit.Run(root.WorkRoot, mode, output).Should().Be(0);
        return output.ToString().ReplaceLineEndings("\n");
    }

    [Fact]
    public void Full_init_creates_the_configuration_and_the_data_folders()
    {
        using var root = TempWorkRoot.Create();

        var output = Init(root, InitMode.Full);

        ConfigFiles.Should().OnlyContain(f => File.Exists(root.PathOf(f)));
        DataFolders.Should().OnlyContain(d => Directory.Exists(root.PathOf(d)));
        output.Should().Contain("created  conf/wparse.toml\n").And.Contain("created  data/rescue/\n");
        output.Should().EndWith($"init (full): 18 created, 0 kept in {root.FullPath}\n");
    }

    [Fact]
    public void Conf_init_writes_only_the_configuration()
    {
        using var root = TempWorkRoot.Create();

        Init(root, InitMode.Conf);

        ConfigFiles.Should().OnlyContain(f => File.Exists(root.PathOf(f)));
        root.Exists("data").Should().BeFalse();
        root.Exists("logs").Should().BeFalse();
    }

    [Fact]
    public void Data_init_creates_only_the_data_folders()
    {
        using var root = TempWorkRoot.Create();

        Init(root, InitMode.Data);

        DataFolders.Should().OnlyContain(d => Directory.Exists(root.PathOf(d)));
        root.Exists("conf").Should().BeFalse();
        root.Exists("sink").Should().BeFalse();
    }

    [Fact]
    public void Model_mode_writes_only_the_models_folder()
    {
        using var root = TempWorkRoot.Create();

        Init(root, InitMode.Model);

        root.Exists("models/wpl/example/parse.wpl").Should().BeTrue();
        root.Exists("models/oml/example.oml").Should().BeTrue();
        root.Exists("conf").Should().BeFalse();
        root.Exists("sink").Should().BeFalse();
        root.Exists("data").Should().BeFalse();
    }

    [Fact]
    public void Init_never_overwrites_an_existing_file_and_reports_it_kept()
    {
        using var root = TempWorkRoot.Create().Write("conf/wparse.toml", "version = \"1.0\" # mine\n");

        var output = Init(root, InitMode.Full);

        root.Read("conf/wparse.toml").Should().Be("version = \"1.0\" # mine\n");
        output.Should().Contain("kept     conf/wparse.toml (exists)\n");
        output.Should().EndWith($"init (full): 17 created, 1 kept in {root.FullPath}\n");
        Init(root, InitMode.Full).Should().EndWith("0 created, 18 kept in " + root.FullPath + "\n");
    }

    [Fact]
    public void The_initialised_configuration_loads_with_six_infra_groups_and_a_sample_business_group()
    {
        using var root = TempWorkRoot.Create();
        Init(root, InitMode.Conf);

        var config = ProjectLoader.Load(root.WorkRoot);

        config.InfraGroups.Keys.Should().BeEquivalentTo(InfraGroups.All);
        config.BusinessGroups.Should().ContainSingle().Which.Oml.Should().Equal("example");
        config.Sources.Should().ContainSingle().Which.Path.Should().Be(root.PathOf("data/in_dat/gen.dat"));
    }
}
