global using Xunit;
global using Watchlog.Tests.Support;
