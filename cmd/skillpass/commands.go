package main

// commandTree is every command of the CLI. Each group mirrors one resource
// of the API; every registry, admin, issuance and verification RPC has a
// command.
func commandTree() *node {
	return &node{
		summary: "skillpass is the command-line client of the Skillpass trust registry (skillpassd).",
		example: "skillpass --token-file skillpass-data/root.token sector list",
		children: []*node{
			sectorCommands(),
			profileCommands(),
			issuerCommands(),
			accreditationCommands(),
			credentialCommands(),
			keyCommands(),
			verifyCommand(),
			passportCommands(),
			jwksCommand(),
			statusListCommands(),
			principalCommands(),
			tokenCommands(),
			whoamiCommand(),
			backupCommand(),
			restoreCommand(),
		},
	}
}
