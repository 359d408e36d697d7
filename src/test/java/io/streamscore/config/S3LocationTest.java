package io.streamscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class S3LocationTest {
  @Test
  void shouldParseABucketAndPrefixAndRefuseWhatIsNotOne() {
    S3Location location = S3Location.parse("s3://models-prod/fraud/detector/");
    assertEquals("models-prod", location.bucket());
    assertEquals("fraud/detector/", location.keyPrefix());
    assertEquals("s3://models-prod/fraud/detector", location.toString());
    assertEquals("", S3Location.parse("s3://models-prod").keyPrefix());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://Models_Prod/x"));
    assertTrue(e.getMessage().contains("is not a bucket name"), e.getMessage());
  }

  @Test
  void shouldNameTheModelAfterThePrefixsLastSegmentOrTheBucket() {
    assertEquals("detector", S3Location.parse("s3://models-prod/fraud/detector").defaultModelName());
    assertEquals("models-prod", S3Location.parse("s3://models-prod/").defaultModelName());
  }
}
