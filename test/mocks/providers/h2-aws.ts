// What the AWS mocks (aws-bedrock.ts, aws.ts; helper H2) share: the SigV4 check of test/helpers/sigv4-verify.ts
// run on a recorded request, and AWS's refusal of a bad signature in each protocol's shape.
// Sources: docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html and the
// "Common Errors" pages of the API references (STS: HTTP 403 <ErrorResponse><Error><Type>Sender</Type>
// <Code>SignatureDoesNotMatch|InvalidClientTokenId|IncompleteSignature</Code>...; REST-JSON services such as
// Bedrock: 403 with `x-amzn-ErrorType: InvalidSignatureException|UnrecognizedClientException` and
// `{"message": ...}`; JSON 1.1 services such as Cost Explorer: 400 `{"__type": ..., "message": ...}`).
import { randomUUID } from 'node:crypto';
import type { MockAnswer, ReceivedRequest } from '../../helpers/catalog/provider-mock.ts';
import { verifySigV4, type AwsCredentials, type SigV4Result } from '../../helpers/sigv4-verify.ts';

export type { AwsCredentials, SigV4Result };

/** The SigV4 check AWS runs on a request it received (signed `now`, 5 minutes of skew). */
export function checkSigV4(r: ReceivedRequest, creds: AwsCredentials, region: string, service: string): SigV4Result {
  return verifySigV4({ method: r.method, target: r.url, headers: r.headers, body: r.body }, creds, { region, service, now: new Date() });
}

/** The JSON-protocol names of sigv4-verify's (query-protocol) codes. */
const JSON_CODE: Record<string, string> = {
  SignatureDoesNotMatch: 'InvalidSignatureException',
  RequestTimeTooSkewed: 'InvalidSignatureException',
  InvalidClientTokenId: 'UnrecognizedClientException',
  IncompleteSignature: 'IncompleteSignatureException',
};

const MESSAGE: Record<string, string> = {
  SignatureDoesNotMatch: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  InvalidClientTokenId: 'The security token included in the request is invalid.',
};

const messageOf = (code: string, reason: string) => MESSAGE[code] ?? reason;

/** REST-JSON (Bedrock): 403, the type in `x-amzn-ErrorType`, `{"message"}` in the body. */
export function restJsonRefusal(code: string, reason: string): MockAnswer {
  const type = JSON_CODE[code] ?? code;
  return { status: 403, headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.coral.service/`, 'x-amzn-requestid': randomUUID() }, body: { message: messageOf(code, reason) } };
}

/** JSON 1.1 (Cost Explorer): 400, `{"__type", "message"}`. */
export function json11Error(type: string, message: string, status = 400): MockAnswer {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() }, body: JSON.stringify({ __type: type, message }) };
}

export function json11Refusal(code: string, reason: string): MockAnswer {
  return json11Error(JSON_CODE[code] ?? code, messageOf(code, reason));
}

/** Query protocol (STS): an XML ErrorResponse. */
export function queryError(status: number, type: 'Sender' | 'Receiver', code: string, message: string): MockAnswer {
  const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n    <Message>${message.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Message>\n  </Error>\n  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>\n`;
  return { status, headers: { 'content-type': 'text/xml' }, body: xml };
}

export function queryRefusal(code: string, reason: string): MockAnswer {
  return queryError(403, 'Sender', code, messageOf(code, reason));
}
