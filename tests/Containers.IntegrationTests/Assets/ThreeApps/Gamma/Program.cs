Console.WriteLine("Hello from Gamma in a container");
