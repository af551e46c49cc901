using Wp.Cli.Wproj;
using Wp.Core.Hosting.Cli;

return await CliHost.InvokeAsync(WprojCommands.Root(), args);
