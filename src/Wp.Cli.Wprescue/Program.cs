using Wp.Cli.Wprescue;
using Wp.Core.Hosting.Cli;

return await CliHost.InvokeAsync(WprescueCommands.Root(), args);
