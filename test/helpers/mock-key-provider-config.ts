// A custom provider pointing at the mock key provider, with or without a rotation recipe.

export const mockProviderFile = (id: string, baseUrl: string, recipe: boolean) => `id: ${id}
name: Mock keys
environment: prod
definition:
  name: Mock keys
  category: Custom
  baseUrl: ${baseUrl}
  credentials:
    apiKey: { title: API key }
  auth: { type: bearer, token: "\${secret.apiKey}" }
  services:
    - { id: api, protocol: http, path: / }
  healthCheck: { kind: request, method: GET, path: /models, expect: { status: [200] } }
${recipe ? `  rotation:
    create:
      request: { method: POST, path: /keys }
      extract: { apiKey: "body:secret", providerKeyId: "body:id" }
    revoke:
      request: { method: DELETE, path: "/keys/\${key.id}" }
` : ''}`;
