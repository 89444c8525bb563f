package io.patchbay.adapter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.patchbay.adapter.http.ApiError;

class PatchAdmissionTest {

    @Test
    void refusesThePatchOverTheBoundWith503AndRetryAfter() {
        PatchAdmission admission = new PatchAdmission(2);
        admission.admit();
        admission.admit();

        assertThatThrownBy(admission::admit).isInstanceOfSatisfying(ApiError.ApiException.class, refused -> {
            assertThat(refused.error().status()).isEqualTo(503);
            assertThat(refused.error().headers()).containsEntry("Retry-After", "1");
            assertThat(refused.error().errors().get(0).getCode()).isEqualTo("server_busy");
        });
        assertThat(admission.pending()).isEqualTo(2);
        assertThat(admission.refused()).isEqualTo(1);
    }

    @Test
    void aReleasedPermitAdmitsTheNextPatch() {
        PatchAdmission admission = new PatchAdmission(1);
        PatchAdmission.Permit first = admission.admit();
        first.release();

        PatchAdmission.Permit second = admission.admit();

        assertThat(second).isNotNull();
        assertThat(admission.pending()).isEqualTo(1);
        assertThat(admission.refused()).isZero();
    }

    @Test
    void releasingAPermitTwiceFreesOnlyOneSlot() {
        PatchAdmission admission = new PatchAdmission(2);
        PatchAdmission.Permit permit = admission.admit();
        admission.admit();

        permit.release();
        permit.release();

        assertThat(admission.pending()).isEqualTo(1);
        admission.admit();
        assertThatThrownBy(admission::admit).isInstanceOf(ApiError.ApiException.class);
    }

    @Test
    void aBoundBelowOneIsRefusedAtStart() {
        assertThatThrownBy(() -> new PatchAdmission(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("patchbay.api.max-pending");
    }
}
