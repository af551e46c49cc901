using Wp.Cli.Wpgen;
using Wp.Core.Hosting.Cli;

return await CliHost.InvokeAsync(WpgenCommands.Root(), args);
