// The field rules (provider/validation.ts) as pure functions.
import { expect } from "chai";
import { E164, isIanaTimeZone } from "../../provider/validation";

describe("field rules", () => {
  it("knows IANA time zones and refuses made-up ones", () => {
    expect(isIanaTimeZone("America/New_York")).to.equal(true);
    expect(isIanaTimeZone("Europe/London")).to.equal(true);
    expect(isIanaTimeZone("UTC")).to.equal(true);
    expect(isIanaTimeZone("Mars/Olympus_Mons")).to.equal(false);
    expect(isIanaTimeZone("EST5EDT; rm -rf /")).to.equal(false);
  });

  it("accepts E.164 numbers only", () => {
    expect(E164.test("+14155550100")).to.equal(true);
    expect(E164.test("4155550100")).to.equal(false);
    expect(E164.test("+0155550100")).to.equal(false);
    expect(E164.test("+1 415 555 0100")).to.equal(false);
  });
});
